package app.liuliang.message;

import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.account.Accounts;
import app.liuliang.config.ConfigProblem;
import app.liuliang.config.Problems;
import app.liuliang.config.YamlReader;
import app.liuliang.contact.TagCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageConfigTest {

  private final YamlReader yaml = new YamlReader();

  @Test
  void shippedConfigAnswersHoursAddressAndPriceAndHandsOffPain() {
    Problems problems = new Problems();
    Path config = Path.of("config");
    Accounts accounts = Accounts.load(config, yaml, problems);
    TagCatalog tags = TagCatalog.load(config, yaml, problems);
    MessageRules rules = MessageRules.load(config, yaml, tags, accounts, problems);
    FaqLibrary faq = FaqLibrary.load(config, yaml, accounts, problems);

    assertThat(problems.sorted()).isEmpty();
    FaqMatcher matcher = new FaqMatcher(faq);
    assertThat(matcher.match("你们几点开门").best()).get().extracting(FaqLibrary.FaqEntry::id).isEqualTo("hours");
    assertThat(matcher.match("地址在哪里").best()).get().extracting(FaqLibrary.FaqEntry::id).isEqualTo("address");
    assertThat(matcher.match("洗牙多少钱").best()).get().extracting(FaqLibrary.FaqEntry::id).isEqualTo("price");
    IntentMatcher intents = new IntentMatcher(rules.intents());
    for (String text : List.of("牙疼", "刷牙出血", "脸都肿了")) {
      assertThat(intents.match(text)).as(text).anySatisfy(r -> assertThat(r.handsOff()).isTrue());
    }
  }

  @Test
  void badIntentRulesAreReportedWithFileLineAndColumn() throws Exception {
    Path dir = Files.createTempDirectory("intents");
    Files.writeString(dir.resolve(MessageRules.FILE), """
        intents:
          - id: implant
            keywords: [种植]
            tag: 需求-种牙
            layer: lead
          - id: implant
            patterns: ["(unclosed"]
            handoff: nurse
            specialty: eyes
        handoff:
          claim_timeout: PT0S
        """);
    Problems problems = new Problems();
    Path config = Path.of("config");
    MessageRules rules = MessageRules.load(dir, yaml, TagCatalog.load(config, yaml, problems),
        Accounts.load(config, yaml, problems), problems);

    assertThat(rules).isNull();
    List<String> lines = problems.sorted().stream().map(ConfigProblem::toString).toList();
    String file = dir.resolve(MessageRules.FILE).toString();
    assertThat(lines).anySatisfy(l -> assertThat(l).startsWith(file + ":4:5: unknown tag \"需求-种牙\"")
        .contains("did you mean \"需求-种植\"?"));
    assertThat(lines).anySatisfy(l -> assertThat(l).startsWith(file + ":5:5: unknown layer \"lead\""));
    assertThat(lines).anySatisfy(l -> assertThat(l).startsWith(file + ":6:5: duplicate intent id \"implant\""));
    assertThat(lines).anySatisfy(l -> assertThat(l).contains(":7:").contains("invalid pattern"));
    assertThat(lines).anySatisfy(l -> assertThat(l).contains(":8:").contains("handoff must be \"doctor\""));
    assertThat(lines).anySatisfy(l -> assertThat(l).contains(":9:").contains("no doctor has specialty \"eyes\""));
    assertThat(lines).anySatisfy(l -> assertThat(l).contains(":11:").contains("claim_timeout must be positive"));
  }

  @Test
  void badLinesAndRedFlagsAreReportedWithFileLineAndColumn() throws Exception {
    List<String> lines = problemsOf("""
        intents:
          - id: implant
            keywords: [种植]
            line: marketing
        handoff:
          lines:
            sales: {now: "好的"}
            gossip: {now: "a", out_of_hours: "b"}
        red_flags:
          flags:
            - id: bleeding
              keywords: [血止不住]
            - id: bleeding
        """);

    assertThat(lines).anySatisfy(l -> assertThat(l).contains(":4:").contains("unknown line \"marketing\""));
    assertThat(lines).anySatisfy(l -> assertThat(l).contains(":7:").contains("needs both now and out_of_hours"));
    assertThat(lines).anySatisfy(l -> assertThat(l).contains(":8:").contains("unknown line kind \"gossip\""));
    assertThat(lines).anySatisfy(l -> assertThat(l).contains(":9:").contains("emergency_phone"));
    assertThat(lines).anySatisfy(l -> assertThat(l).contains(":11:").contains("no safety instructions"));
    assertThat(lines).anySatisfy(l -> assertThat(l).contains(":13:").contains("duplicate"));
    assertThat(lines).anySatisfy(l -> assertThat(l).contains(":13:").contains("no keywords and no patterns"));
  }

  @Test
  void shippedRedFlagsMatchUrgentMessagesAndNotEverydayOnes() {
    Problems problems = new Problems();
    Path config = Path.of("config");
    MessageRules rules = MessageRules.load(config, yaml, TagCatalog.load(config, yaml, problems),
        Accounts.load(config, yaml, problems), problems);
    IntentMatcher flags = new IntentMatcher(rules.redFlags().flags().stream().map(MessageRules.RedFlag::asRule).toList());

    assertThat(flags.match("拔牙后血止不住")).extracting(MessageRules.IntentRule::id).containsExactly("bleeding");
    assertThat(flags.match("脸肿了还发烧到39度")).extracting(MessageRules.IntentRule::id).containsExactly("swelling_fever");
    assertThat(flags.match("孩子摔倒磕到牙了")).extracting(MessageRules.IntentRule::id).containsExactly("facial_trauma");
    assertThat(flags.match("喉咙肿得喘不上气")).extracting(MessageRules.IntentRule::id).containsExactly("breathing");
    for (String everyday : List.of("种植牙多少钱", "刷牙出血", "牙疼", "脸都肿了")) {
      assertThat(flags.match(everyday)).as(everyday).isEmpty();
    }
  }

  @Test
  void faqProblemsAndUnknownKeysAreReportedWithFileLineAndColumn() throws Exception {
    Path dir = Files.createTempDirectory("faq");
    Files.writeString(dir.resolve(FaqLibrary.FILE), """
        assistant: dr-wang
        entries:
          - id: hours
            keywords: [几点]
          - id: parking
            keyword: [停车]
            answer: 可以停车
        """);
    Problems problems = new Problems();
    FaqLibrary faq = FaqLibrary.load(dir, yaml, Accounts.load(Path.of("config"), yaml, problems), problems);

    assertThat(faq).isNull();
    String file = dir.resolve(FaqLibrary.FILE).toString();
    assertThat(problems.sorted().stream().map(ConfigProblem::toString))
        .anySatisfy(l -> assertThat(l).startsWith(file + ":6:").contains("keyword"));
  }

  @Test
  void faqRuleProblemsPointAtTheEntry() throws Exception {
    Path dir = Files.createTempDirectory("faq");
    Files.writeString(dir.resolve(FaqLibrary.FILE), """
        assistant: dr-wang
        min_score: 0
        entries:
          - id: hours
            keywords: [几点]
        """);
    Problems problems = new Problems();
    FaqLibrary.load(dir, yaml, Accounts.load(Path.of("config"), yaml, problems), problems);

    String file = dir.resolve(FaqLibrary.FILE).toString();
    assertThat(problems.sorted().stream().map(ConfigProblem::toString).toList())
        .anySatisfy(l -> assertThat(l).startsWith(file + ":1:1: \"dr-wang\" is not an assistant"))
        .anySatisfy(l -> assertThat(l).startsWith(file + ":2:1: min_score must be at least 1"))
        .anySatisfy(l -> assertThat(l).startsWith(file + ":4:5: entry \"hours\" has no answer"));
  }

  /** The problems of an intents.yaml with this text, against the shipped tags and accounts. */
  private List<String> problemsOf(String intentsYaml) throws Exception {
    Path dir = Files.createTempDirectory("intents");
    Files.writeString(dir.resolve(MessageRules.FILE), intentsYaml);
    Problems problems = new Problems();
    Path config = Path.of("config");
    MessageRules rules = MessageRules.load(dir, yaml, TagCatalog.load(config, yaml, problems),
        Accounts.load(config, yaml, problems), problems);
    assertThat(rules).isNull();
    return problems.sorted().stream().map(ConfigProblem::toString).toList();
  }
}
