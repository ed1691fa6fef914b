package app.liuliang.sop;

import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.config.ConfigProblem;
import app.liuliang.config.Problems;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WeekPlanValidatorTest {

  private SopFixture fx;

  @BeforeEach
  void setUp() throws Exception {
    fx = new SopFixture();
  }

  @AfterEach
  void tearDown() throws Exception {
    fx.close();
  }

  /** Problems as "line:column: message" (the file is the temp one). */
  private List<String> problems(String name, String yaml) throws Exception {
    fx.write("sop/" + name, yaml);
    Problems problems = new Problems();
    SopFeature.validateFile(fx.configDir, fx.configDir.resolve("sop/" + name), fx.yaml,
        app.liuliang.account.Accounts.load(fx.configDir, fx.yaml, new Problems()),
        app.liuliang.contact.TagCatalog.load(fx.configDir, fx.yaml, new Problems()),
        SopSettings.defaults(), SopFixture.SHANGHAI, problems);
    return problems.sorted().stream().map(p -> p.line() + ":" + p.column() + ": " + p.message()).toList();
  }

  private List<ConfigProblem> raw(String name, String yaml) throws Exception {
    fx.write("sop/" + name, yaml);
    Problems problems = new Problems();
    SopFeature.validateFile(fx.configDir, fx.configDir.resolve("sop/" + name), fx.yaml,
        app.liuliang.account.Accounts.load(fx.configDir, fx.yaml, new Problems()),
        app.liuliang.contact.TagCatalog.load(fx.configDir, fx.yaml, new Problems()),
        SopSettings.defaults(), SopFixture.SHANGHAI, problems);
    return problems.sorted();
  }

  @Test
  void shippedExampleWeekAndCampaignValidate() {
    Problems problems = new Problems();
    Path config = app.liuliang.testing.TestServer.copyConfig(Path.of("config"));
    Path week = app.liuliang.testing.TestServer.writeWeekPlan(config, "2026-W48");
    Path campaign = app.liuliang.testing.TestServer.addExampleCampaign(config);
    var yaml = new app.liuliang.config.YamlReader();
    var accounts = app.liuliang.account.Accounts.load(config, yaml, problems);
    var tags = app.liuliang.contact.TagCatalog.load(config, yaml, problems);
    var sopConfig = SopFeature.loadConfig(config, yaml, accounts, tags, problems);
    SopFeature.validateFile(config, week, yaml, accounts, tags, sopConfig.settings(),
        SopFixture.SHANGHAI, problems);
    SopFeature.validateFile(config, campaign, yaml, accounts, tags,
        sopConfig.settings(), SopFixture.SHANGHAI, problems);
    assertThat(problems.sorted()).isEmpty();
    assertThat(sopConfig.journeys().journeys()).hasSize(2);
    assertThat(sopConfig.journeys().recalls().visits()).extracting(Journeys.VisitRecall::subtype)
        .containsExactly("cleaning", "ortho_adjustment");
  }

  @Test
  void weekThatDoesNotMatchTheFileNameIsReportedAtTheWeekValue() throws Exception {
    List<ConfigProblem> found = raw("2026-W48.yaml", "week: 2026-W49\n");
    assertThat(found).hasSize(1);
    assertThat(found.get(0).line()).isEqualTo(1);
    assertThat(found.get(0).column()).isEqualTo(1);
    assertThat(found.get(0).message()).isEqualTo("week 2026-W49 does not match the file name 2026-W48");
    assertThat(found.get(0).hint()).contains("rename the file to 2026-W49.yaml");
    assertThat(found.get(0).toString()).endsWith("2026-W48.yaml:1:1: week 2026-W49 does not match the file name 2026-W48\n"
        + "  rename the file to 2026-W49.yaml, or write week: 2026-W48");
  }

  @Test
  void badDayAndBadTimeAreReportedWithTheirPositions() throws Exception {
    assertThat(problems("2026-W48.yaml", """
        week: 2026-W48
        groups:
          - id: g1
            day: monday
            at: "25:00"
            owners: [assistant-lily]
            text: hi
        """)).containsExactly(
        "4:5: unknown day \"monday\"",
        "5:5: time must be HH:mm (00:00 to 23:59), was \"25:00\"");
  }

  @Test
  void duplicateIdIsReportedAtTheSecondOne() throws Exception {
    assertThat(problems("2026-W48.yaml", """
        week: 2026-W48
        groups:
          - {id: same, day: mon, at: "10:00", owners: [assistant-lily], text: a}
        personal:
          - {id: same, day: tue, at: "10:00", text: b}
        """)).containsExactly("5:6: duplicate id \"same\"");
  }

  @Test
  void unknownAccountTagAndLayerAreReported() throws Exception {
    assertThat(problems("2026-W48.yaml", """
        week: 2026-W48
        moments:
          - id: m1
            day: mon
            at: "09:30"
            senders: [assistant-lily, dr-li]
            audience: {tags: [需求-隆鼻], layers: [vip]}
            text: hi
        """)).containsExactly(
        "6:31: unknown account \"dr-li\"",
        "7:23: unknown tag \"需求-隆鼻\"",
        "7:40: unknown layer \"vip\"");
  }

  @Test
  void momentsCannotExcludeTags() throws Exception {
    assertThat(problems("2026-W48.yaml", """
        week: 2026-W48
        moments:
          - id: m1
            day: mon
            at: "09:30"
            senders: [assistant-lily]
            audience: {tags: [需求-美白], exclude_tags: [有投诉]}
            text: hi
        """)).containsExactly("7:31: Moments cannot exclude tags");
  }

  @Test
  void textOverWeComLimitsIsReported() throws Exception {
    String moment = "字".repeat(2001);
    String template = "字".repeat(1334);
    assertThat(problems("2026-W48.yaml", "week: 2026-W48\n"
        + "moments:\n  - {id: m1, day: mon, at: \"09:30\", senders: [assistant-lily], text: " + moment + "}\n"
        + "groups:\n  - {id: g1, day: mon, at: \"09:30\", owners: [assistant-lily], text: " + template + "}\n"))
        .containsExactly(
            "3:64: text is 2001 characters, Moments allow 2000",
            "5:63: text is 4002 bytes, WeCom allows 4000");
  }

  @Test
  void moreAttachmentsThanAllowedAreReported() throws Exception {
    String ten = "[" + "{image: media/clinic-team.png}, ".repeat(9) + "{image: media/clinic-team.png}]";
    assertThat(problems("2026-W48.yaml", "week: 2026-W48\n"
        + "moments:\n  - id: m1\n    day: mon\n    at: \"09:30\"\n    senders: [assistant-lily]\n    text: hi\n"
        + "    attachments:\n      - {image: media/clinic-team.png}\n      - {link: {title: 看牙, url: \"https://example.com\"}}\n"
        + "groups:\n  - {id: g1, day: mon, at: \"09:30\", owners: [assistant-lily], text: hi, attachments: " + ten + "}\n"))
        .containsExactly(
            "10:9: too many attachments for a Moment (1 images, 0 videos, 1 links)",
            "12:375: 10 attachments, WeCom allows 9");
  }

  @Test
  void missingMediaFileIsReportedAtItsPath() throws Exception {
    assertThat(problems("2026-W48.yaml", """
        week: 2026-W48
        moments:
          - id: m1
            day: mon
            at: "09:30"
            senders: [assistant-lily]
            text: hi
            attachments: [{image: media/nope.jpg}]
        """)).containsExactly("8:20: media file not found: media/nope.jpg");
  }

  @Test
  void aFourthMomentOnOneDayForOneAudienceIsOverTheCap() throws Exception {
    StringBuilder yaml = new StringBuilder("week: 2026-W48\nmoments:\n");
    for (int i = 1; i <= 4; i++) {
      yaml.append("  - {id: m").append(i).append(", day: tue, at: \"1").append(i)
          .append(":00\", senders: [assistant-lily], audience: {tags: [需求-美白]}, text: hi}\n");
    }
    yaml.append("  - {id: other, day: tue, at: \"18:00\", senders: [assistant-lily], text: hi}\n");
    assertThat(problems("2026-W48.yaml", yaml.toString()))
        .containsExactly("6:14: more than 3 Moments on tue for tags 需求-美白");
  }

  @Test
  void unknownKeyIsReportedWithDidYouMean() throws Exception {
    List<ConfigProblem> found = raw("2026-W48.yaml", """
        week: 2026-W48
        groups:
          - id: g1
            day: mon
            at: "10:00"
            ownerz: [assistant-lily]
            text: hi
        """);
    assertThat(found).extracting(p -> p.line() + ":" + p.column() + ": " + p.message())
        .containsExactly("6:5: unknown key \"ownerz\"");
    assertThat(found.get(0).hint()).isEqualTo("did you mean \"owners\"?");
  }

  @Test
  void itemsAreDueAtTheirShanghaiMinute() throws Exception {
    fx.write("sop/2026-W48.yaml", """
        week: 2026-W48
        groups:
          - {id: g1, day: wed, at: "19:30", owners: [assistant-lily], text: hi}
        """);
    LoadedPlan plan = fx.engine().repository() == null ? null : validator().validate(fx.configDir.resolve("sop/2026-W48.yaml"),
        new Problems());
    assertThat(plan.items()).singleElement().satisfies(item ->
        assertThat(Instant.ofEpochMilli(item.dueAt())).isEqualTo(Instant.parse("2026-11-25T11:30:00Z")));
  }

  private WeekPlanValidator validator() {
    Problems ignored = new Problems();
    return new WeekPlanValidator(fx.yaml, new ContentRules(
        app.liuliang.account.Accounts.load(fx.configDir, fx.yaml, ignored),
        app.liuliang.contact.TagCatalog.load(fx.configDir, fx.yaml, ignored), fx.configDir),
        SopSettings.defaults(), SopFixture.SHANGHAI);
  }

  @Test
  void referralPlaceholdersWorkOnlyInJourneys() throws Exception {
    String week = WeekTemplate.render(java.nio.file.Path.of("config"), "2026-W48")
        .replace("{name}您好，我是小美。上次您咨询的种植牙方案", "您的推荐码 {referral_code}。上次您咨询的种植牙方案");

    assertThat(problems("2026-W48.yaml", week)).anySatisfy(p -> assertThat(p)
        .contains("{referral_code} and {referral_qr} work only in journeys.yaml"));
  }

  @Test
  void anUnknownPlaceholderIsReported() throws Exception {
    String week = WeekTemplate.render(java.nio.file.Path.of("config"), "2026-W48")
        .replace("{name}您好，我是小美。上次您咨询的种植牙方案", "{nmae}您好，我是小美。上次您咨询的种植牙方案");

    assertThat(problems("2026-W48.yaml", week)).anySatisfy(p -> assertThat(p).contains("unknown placeholder {nmae}"));
  }
}
