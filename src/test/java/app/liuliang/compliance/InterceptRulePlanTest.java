package app.liuliang.compliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.liuliang.config.ConfigProblem;
import app.liuliang.config.Problems;
import app.liuliang.config.YamlReader;
import app.liuliang.wecom.WeComClient.InterceptRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** compliance.yaml's words cut into WeCom intercept rules: each word once, ≤ 300 a rule, ≤ 100 rules. */
class InterceptRulePlanTest {

  @Test
  void theShippedWordsAreSyncedOnceEachAsWarnForTheWholeCorp() {
    Problems problems = new Problems();
    AdvertisingWords shipped = AdvertisingWords.read(Path.of("config"), new YamlReader(), problems);
    assertThat(problems.toString()).isEmpty();

    List<InterceptRule> rules = InterceptRulePlan.plan(shipped);

    assertThat(rules).hasSize(1);
    InterceptRule rule = rules.get(0);
    assertThat(rule.name()).isEqualTo("留量广告词1");
    assertThat(rule.words()).contains("最好", "根治", "零风险", "名医").doesNotHaveDuplicates()
        .as("patterns are not words").noneMatch(w -> w.contains("\\"));
    assertThat(rule.words()).hasSize(shipped.rules().stream().mapToInt(r -> r.words().size()).sum());
    assertThat(rule.interceptType()).as("warn only").isEqualTo(2);
    assertThat(rule.range().departments()).containsExactly(1);
    assertThat(rule.range().users()).isEmpty();
    assertThat(rule.semantics()).isEmpty();
  }

  @Test
  void wordsAreDedupedInFileOrderAndCutIntoRulesOfAtMost300() throws IOException {
    List<String> first = IntStream.range(0, 400).mapToObj(i -> "词" + i).toList();
    List<String> second = new ArrayList<>(IntStream.range(350, 650).mapToObj(i -> "词" + i).toList());
    second.add("词0");
    AdvertisingWords words = load(yaml(List.of(first, second),
        "intercept:\n  sync: true\n  intercept_type: block\n  semantics: [红包]\n  users: [dr-wang]\n"));

    List<InterceptRule> rules = InterceptRulePlan.plan(words);

    assertThat(rules).extracting(InterceptRule::name).containsExactly("留量广告词1", "留量广告词2", "留量广告词3");
    assertThat(rules).extracting(r -> r.words().size()).containsExactly(300, 300, 50);
    List<String> all = rules.stream().flatMap(r -> r.words().stream()).toList();
    assertThat(all).hasSize(650).doesNotHaveDuplicates();
    assertThat(all.get(0)).isEqualTo("词0");
    assertThat(all.get(649)).as("file order, not sorted").isEqualTo("词649");
    assertThat(rules.get(0).interceptType()).isEqualTo(1);
    assertThat(rules.get(0).semantics()).containsExactly(3);
    assertThat(rules.get(0).range().users()).containsExactly("dr-wang");
    assertThat(rules.get(0).range().departments()).as("default: the whole corp").containsExactly(1);
  }

  @Test
  void onlyTheChosenRulesWordsAndNothingWhenSyncIsOff() throws IOException {
    AdvertisingWords chosen = load(yaml(List.of(List.of("甲", "乙"), List.of("丙")), "intercept:\n  sync: true\n  rules: [r1]\n"));
    assertThat(InterceptRulePlan.plan(chosen)).singleElement().satisfies(r -> assertThat(r.words()).containsExactly("丙"));

    AdvertisingWords off = load(yaml(List.of(List.of("甲")), "intercept:\n  sync: false\n"));
    assertThat(InterceptRulePlan.plan(off)).isEmpty();
    AdvertisingWords none = load(yaml(List.of(List.of("甲")), ""));
    assertThat(InterceptRulePlan.plan(none)).as("no intercept block: not synced").isEmpty();
  }

  @Test
  void moreThan100RulesAreAConfigProblemAtTheInterceptBlock() throws IOException {
    List<String> many = IntStream.range(0, 100 * 300 + 1).mapToObj(i -> "词" + i).toList();
    Path dir = yaml(List.of(many), "intercept:\n  sync: true\n");
    Problems problems = new Problems();

    assertThat(AdvertisingWords.read(dir, new YamlReader(), problems)).isNull();

    ConfigProblem problem = problems.sorted().get(0);
    assertThat(problem.file()).isEqualTo(dir.resolve(AdvertisingWords.FILE));
    assertThat(problem.line()).isEqualTo(lineOf(dir, "intercept:"));
    assertThat(problem.message()).contains("30001 words need 101 intercept rules").contains("100");
    assertThat(problem.toString()).startsWith(dir.resolve(AdvertisingWords.FILE) + ":" + problem.line() + ":");
    assertThatThrownBy(() -> InterceptRulePlan.plan(new AdvertisingWords(false, List.of(
        new AdvertisingWords.Rule("x", many, null, null, "r", "s")), new InterceptSettings(true, null, null, null, null, null))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void badSettingsAreProblemsWithFileLineAndColumn() throws IOException {
    Path dir = yaml(List.of(List.of("甲")), "intercept:\n  sync: true\n  intercept_type: stop\n  semantics: [微信号]\n"
        + "  departments: []\n  rules: [nope]\n");
    Problems problems = new Problems();
    AdvertisingWords.read(dir, new YamlReader(), problems);
    Path file = dir.resolve(AdvertisingWords.FILE);

    assertThat(problems.toString())
        .contains(file + ":" + lineOf(dir, "intercept_type:") + ":").contains("intercept_type is warn or block")
        .contains(file + ":" + lineOf(dir, "semantics:") + ":").contains("unknown semantics 「微信号」")
        .contains("the rules apply to no one")
        .contains(file + ":" + lineOf(dir, "rules: [nope]") + ":").contains("no rule with id nope");
  }

  @Test
  void onlyLiuliangsNumberedNamesAreOurs() {
    assertThat(InterceptRulePlan.ours("留量广告词1")).isTrue();
    assertThat(InterceptRulePlan.ours("留量广告词27")).isTrue();
    assertThat(InterceptRulePlan.ours("留量广告词")).isFalse();
    assertThat(InterceptRulePlan.ours("留量广告词0")).isFalse();
    assertThat(InterceptRulePlan.ours("留量广告词（前台手工）")).isFalse();
    assertThat(InterceptRulePlan.ours("前台自定敏感词")).isFalse();
    assertThat(InterceptRulePlan.ours(null)).isFalse();
  }

  /** A compliance.yaml with one rule r0, r1... per word list, then {@code tail}. */
  static Path yaml(List<List<String>> wordLists, String tail) throws IOException {
    StringBuilder yaml = new StringBuilder("strict: false\nrules:\n");
    for (int i = 0; i < wordLists.size(); i++) {
      yaml.append("  - id: r").append(i).append("\n    words: [")
          .append(wordLists.get(i).stream().collect(Collectors.joining(", "))).append("]\n")
          .append("    reason: 测试\n    suggestion: 换个说法\n");
    }
    yaml.append(tail);
    Path dir = Files.createTempDirectory("compliance");
    Files.writeString(dir.resolve(AdvertisingWords.FILE), yaml);
    return dir;
  }

  private static AdvertisingWords load(Path dir) {
    Problems problems = new Problems();
    AdvertisingWords words = AdvertisingWords.read(dir, new YamlReader(), problems);
    assertThat(problems.toString()).isEmpty();
    return words;
  }

  private static int lineOf(Path dir, String text) throws IOException {
    List<String> lines = Files.readAllLines(dir.resolve(AdvertisingWords.FILE));
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(text)) {
        return i + 1;
      }
    }
    throw new AssertionError(text);
  }
}
