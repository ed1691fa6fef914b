package app.liuliang.contact;

import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.account.Accounts;
import app.liuliang.config.ConfigProblem;
import app.liuliang.config.Problems;
import app.liuliang.config.YamlReader;
import app.liuliang.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class WelcomeTemplatesTest {

  private final YamlReader yaml = new YamlReader();

  private record Loaded(WelcomeTemplates templates, Problems problems) {
  }

  private Loaded load(Path config) {
    Problems problems = new Problems();
    Accounts accounts = Accounts.load(config, yaml, problems);
    TagCatalog tags = TagCatalog.load(config, yaml, problems);
    ChannelCatalog channels = ChannelCatalog.load(config, yaml, tags, null, problems);
    return new Loaded(WelcomeTemplates.load(config, yaml, channels, accounts, problems), problems);
  }

  private static Path shippedWith(String file, String text) throws Exception {
    Path config = TestServer.copyConfig(Path.of("config"));
    Files.writeString(config.resolve(file), text);
    return config;
  }

  @Test
  void shippedConfigValidates() {
    Loaded loaded = load(Path.of("config"));

    assertThat(loaded.problems().sorted()).isEmpty();
    assertThat(loaded.templates().all()).hasSizeGreaterThanOrEqualTo(6);
  }

  @Test
  void liuliangValidatePassesOnTheShippedConfig() {
    Problems problems = new Problems();
    app.liuliang.app.Settings settings = app.liuliang.app.Settings.load(
        java.util.Map.of(app.liuliang.app.Settings.CONFIG_DIR, "config"), problems);

    problems.addAll(app.liuliang.app.Wiring.validate(settings));

    assertThat(problems.sorted()).isEmpty();
  }

  @Test
  void everyShippedChannelHasItsOwnAssistantTemplate() {
    Loaded loaded = load(Path.of("config"));
    ChannelCatalog channels = ChannelCatalog.load(Path.of("config"), yaml,
        TagCatalog.load(Path.of("config"), yaml, new Problems()), null, new Problems());

    for (String channel : channels.ids()) {
      assertThat(loaded.templates().all()).anySatisfy(t -> {
        assertThat(t.persona()).isEqualTo("assistant");
        assertThat(t.channels()).contains(channel);
      });
    }
  }

  @Test
  void unknownPlaceholderIsReportedAtItsLineAndColumn() throws Exception {
    Path config = shippedWith("welcome/doctor.yaml", """
        templates:
          - id: broken
            channels: [unknown]
            persona: doctor
            text: |
              {name}您好，我是{account.nickname}。
              诊所电话：{clinic.phone}
        """);

    Loaded loaded = load(config);

    assertThat(loaded.templates()).isNull();
    assertThat(loaded.problems().sorted()).hasSize(1).first().satisfies(p -> {
      assertThat(p.toString()).startsWith(config.resolve("welcome/doctor.yaml") + ":7:12: unknown placeholder {clinic.phone}");
      assertThat(p.hint()).contains("{account.nickname}");
    });
  }

  @Test
  void tenAttachmentsAreTooMany() throws Exception {
    String link = "      - link: {title: 指南, url: \"https://example.com/a\"}\n";
    Path config = shippedWith("welcome/doctor.yaml", """
        templates:
          - id: crowded
            channels: [unknown]
            persona: doctor
            text: 您好
            attachments:
        """ + link.repeat(10));

    Loaded loaded = load(config);

    List<ConfigProblem> problems = loaded.problems().sorted();
    assertThat(problems).hasSize(1);
    assertThat(problems.get(0).toString())
        .startsWith(config.resolve("welcome/doctor.yaml") + ":16:")
        .contains("10 attachments, WeCom allows at most 9");
  }

  @Test
  void aMiniProgramNeedsOneCoverThatExistsUnderConfig() throws Exception {
    Path config = shippedWith("welcome/doctor.yaml", """
        templates:
          - id: booking
            channels: [unknown]
            persona: doctor
            text: 您好
            attachments:
              - miniprogram: {title: 在线预约, appid: wx0123456789abcdef, page: pages/index, pic: media/nope.png}
              - miniprogram: {title: 在线预约, appid: wx0123456789abcdef, page: pages/index}
              - miniprogram: {title: 在线预约, appid: wx0123456789abcdef, page: pages/index, pic: ../secret.png}
              - miniprogram: {title: 在线预约, appid: wx0123456789abcdef, page: pages/index, pic: media/clinic-team.png}
        """);

    List<ConfigProblem> problems = load(config).problems().sorted();

    Path file = config.resolve("welcome/doctor.yaml");
    assertThat(problems).hasSize(3);
    assertThat(problems.get(0).toString()).startsWith(file + ":7:").contains("no such file").contains("nope.png");
    assertThat(problems.get(1).toString()).startsWith(file + ":8:").contains("exactly one cover");
    assertThat(problems.get(2).toString()).startsWith(file + ":9:").contains("must be a file under config/");
  }

  @Test
  void overlongTextsUnknownChannelsAndPersonasAreAllReported() throws Exception {
    Path config = shippedWith("welcome/doctor.yaml", """
        templates:
          - id: long
            channels: [xiaohongshu]
            persona: nurse
            text: "%s"
            attachments:
              - link: {title: "%s", url: "https://example.com/a", desc: "说明"}
        """.formatted("字".repeat(1400), "标".repeat(50)));

    Loaded loaded = load(config);

    assertThat(loaded.problems().sorted()).extracting(ConfigProblem::message)
        .anySatisfy(m -> assertThat(m).contains("unknown channel \"xiaohongshu\""))
        .anySatisfy(m -> assertThat(m).contains("unknown persona \"nurse\""))
        .anySatisfy(m -> assertThat(m).contains("text is 4200 bytes"))
        .anySatisfy(m -> assertThat(m).contains("link title is 150 bytes"));
  }

  @Test
  void channelWithAnUnknownTagFailsValidation() throws Exception {
    Path config = shippedWith("channels.yaml", """
        channels:
          - id: xiaohongshu
            states: [xhs]
            tag: 来源-小红书
          - id: unknown
            tag: 来源-未知
        """);

    Loaded loaded = load(config);

    assertThat(loaded.problems().sorted()).extracting(ConfigProblem::toString)
        .anySatisfy(s -> assertThat(s).startsWith(config.resolve("channels.yaml") + ":4:5:")
            .contains("unknown tag \"来源-小红书\""));
  }

  @Test
  void missingNameReadsNaturally() {
    Loaded loaded = load(Path.of("config"));
    Accounts accounts = Accounts.load(Path.of("config"), yaml, new Problems());
    WelcomeTemplate template = loaded.templates().pick("meituan", "assistant").orElseThrow();

    String text = WelcomeComposer.render(template.text(),
        WelcomeComposer.values("", accounts.find("assistant-lily").orElseThrow(), "美团"));

    assertThat(text).startsWith("您好～").doesNotContain("{").contains("我是小美，诊所的前台健康顾问");
  }
}
