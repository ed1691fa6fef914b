package app.liuliang.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.app.Settings;
import app.liuliang.app.Wiring;
import app.liuliang.config.ConfigProblem;
import app.liuliang.config.Problems;
import app.liuliang.config.YamlReader;
import app.liuliang.testing.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** config/compliance.yaml: every text the bot sends is checked for advertising words, with where and what instead. */
class AdvertisingWordsTest {

  private static AdvertisingWords shipped() {
    Problems problems = new Problems();
    AdvertisingWords words = AdvertisingWords.install(Path.of("config"), new YamlReader(), problems);
    assertThat(problems.toString()).isEmpty();
    return words;
  }

  @Test
  void eachShippedRuleFindsItsWordsAndAllowedPhrasesPass() {
    AdvertisingWords words = shipped();

    assertThat(words.scan("我们是本市最好的种植中心").get(0)).satisfies(hit -> {
      assertThat(hit.word()).isEqualTo("最好");
      assertThat(hit.rule().id()).isEqualTo("absolute");
      assertThat(hit.offset()).isEqualTo(5);
    });
    assertThat(words.scan("牙周炎可以根治").get(0).rule().id()).isEqualTo("guaranteed-result");
    assertThat(words.scan("种植零风险").get(0).rule().id()).isEqualTo("no-risk");
    assertThat(words.scan("成功率 98% 有效").get(0).rule().id()).isEqualTo("percentages");
    assertThat(words.scan("100%满意").get(0).rule().id()).isEqualTo("percentages");
    assertThat(words.scan("名医坐诊").get(0).rule().id()).isEqualTo("testimonial-doctor");
    assertThat(words.scan("上班后第一时间回复您，送您《第一次看牙须知》，拔牙后最好先冰敷")).isEmpty();
    assertThat(words.scan("第一时间回复，我们是第一")).extracting(AdvertisingWords.Hit::word).containsExactly("第一");
  }

  @Test
  void aHitInAnyFileIsAWarningAtItsWordWithTheSuggestionAndStrictMakesItAProblem() throws IOException {
    Path config = TestServer.copyConfig(Path.of("config"));
    Path faq = config.resolve("faq.yaml");
    List<String> lines = Files.readAllLines(faq);
    int found = 0;
    while (!lines.get(found).contains("answer:")) {
      found++;
    }
    final int line = found;
    lines.set(line, lines.get(line).replaceFirst("answer: *\"?", "$0保证根治，"));
    Files.write(faq, lines);
    Path welcome = config.resolve("welcome/assistant.yaml");
    Files.writeString(welcome, Files.readString(welcome).replaceFirst("《第一次看牙须知》", "《第一次看牙须知》（全市最佳）"));

    Problems lenient = validate(config);

    assertThat(lenient.isEmpty()).as(lenient.toString()).isTrue();
    List<ConfigProblem> warnings = lenient.warnings();
    assertThat(warnings).anySatisfy(w -> {
      assertThat(w.file()).isEqualTo(faq);
      assertThat(w.line()).isEqualTo(line + 1);
      assertThat(w.column()).isEqualTo(lines.get(line).indexOf("保证") + 1);
      assertThat(w.message()).contains("「保证」").contains("医疗广告管理办法");
      assertThat(w.hint()).contains("效果因人而异");
    });
    assertThat(warnings).anySatisfy(w -> assertThat(w.toString()).startsWith(faq + ":" + (line + 1) + ":")
        .contains("「根治」"));
    assertThat(warnings).anySatisfy(w -> assertThat(w.file()).isEqualTo(welcome));
    assertThat(lenient.warningsText()).contains(faq + ":" + (line + 1) + ":").contains(": warning: advertising word");

    Path rules = config.resolve(AdvertisingWords.FILE);
    Files.writeString(rules, Files.readString(rules).replace("strict: false", "strict: true"));
    Problems strict = validate(config);
    assertThat(strict.isEmpty()).isFalse();
    assertThat(strict.toString()).contains(faq + ":" + (line + 1) + ":").contains("「根治」").contains(welcome + ":");
  }

  @Test
  void aBrokenRuleIsAProblemWithItsPlace() throws IOException {
    Path config = TestServer.copyConfig(Path.of("config"));
    Path rules = config.resolve(AdvertisingWords.FILE);
    Files.writeString(rules, "rules:\n  - id: x\n    patterns: ['(未闭合']\n    reason: r\n    suggestion: s\n"
        + "  - id: y\n    words: [这是一个超过三十二个字的很长很长很长很长很长很长很长很长很长很长的词]\n");

    String problems = validate(config).toString();

    assertThat(problems).contains(rules + ":3:").contains("invalid pattern")
        .contains(rules + ":7:").contains("1 to 32 characters").contains("a rule needs a reason and a suggestion");
  }

  @Test
  void theShippedConfigHasNoAdvertisingWords() {
    Problems problems = validate(Path.of("config"));
    assertThat(problems.warningsText()).isEmpty();
    Path config = TestServer.copyConfig(Path.of("config"));
    TestServer.writeWeekPlan(config, "2027-W02");
    TestServer.addExampleCampaign(config);
    assertThat(validate(config).warningsText()).as("the example week and campaign too").isEmpty();
  }

  private static Problems validate(Path configDir) {
    Problems problems = new Problems();
    Settings settings = Settings.load(Map.of(Settings.CONFIG_DIR, configDir.toString()), problems);
    problems.addAll(Wiring.validate(settings));
    return problems;
  }
}
