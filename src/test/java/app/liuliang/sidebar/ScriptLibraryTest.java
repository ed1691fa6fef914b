package app.liuliang.sidebar;

import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.account.Account;
import app.liuliang.account.Accounts;
import app.liuliang.compliance.AdvertisingWords;
import app.liuliang.config.Problems;
import app.liuliang.config.YamlReader;
import app.liuliang.message.FaqLibrary;
import app.liuliang.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code scripts.yaml}: the shipped file, its mistakes with file:line:column, and the replies built from it. */
class ScriptLibraryTest {

  @Test
  void theShippedScriptsLoadByCategory() {
    Problems problems = new Problems();
    ScriptLibrary scripts = ScriptLibrary.load(Path.of("config"), new YamlReader(), problems);

    assertThat(problems.isEmpty()).as(problems.toString()).isTrue();
    assertThat(scripts.categories()).extracting(ScriptLibrary.Category::name).containsExactly("预约", "价格", "术后护理", "回访");
  }

  @Test
  void noFileMeansNoScripts() throws Exception {
    Path empty = Files.createTempDirectory("liuliang-config");

    assertThat(ScriptLibrary.load(empty, new YamlReader(), new Problems()).categories()).isEmpty();
  }

  @Test
  void mistakesAreReportedWithTheirPlace() throws Exception {
    Path config = TestServer.copyConfig(Path.of("config"));
    Files.writeString(config.resolve(ScriptLibrary.FILE), """
        categories:
          - id: booking
            name: 预约
            scripts:
              - id: confirm
                title: 确认预约
                text: 您好{patient}，已为您预约好。
              - id: confirm
                title: ''
                text: 已改约。
          - id: booking
            scripts:
              - id: long
                title: 太长
                text: %s
        """.formatted("好".repeat(700)));
    Problems problems = new Problems();

    assertThat(ScriptLibrary.load(config, new YamlReader(), problems)).isNull();

    String report = problems.toString();
    assertThat(report).contains("scripts.yaml:7:").contains("unknown placeholder {patient}");
    assertThat(report).contains("scripts.yaml:8:").contains("duplicate script id \"confirm\"");
    assertThat(report).contains("script \"confirm\" has no title");
    assertThat(report).contains("scripts.yaml:11:").contains("duplicate category id \"booking\"")
        .contains("category \"booking\" has no name");
    assertThat(report).contains("scripts.yaml:15:").contains("text is longer than WeCom's 2048 bytes");
  }

  @Test
  void anUnknownKeyIsAnError() throws Exception {
    Path config = TestServer.copyConfig(Path.of("config"));
    Files.writeString(config.resolve(ScriptLibrary.FILE), """
        categories:
          - id: booking
            name: 预约
            scripts:
              - id: confirm
                titel: 确认预约
                text: 已为您预约好。
        """);
    Problems problems = new Problems();

    assertThat(ScriptLibrary.load(config, new YamlReader(), problems)).isNull();
    assertThat(problems.toString()).contains("scripts.yaml:6:").contains("titel");
  }

  @Test
  void advertisingWordsInAScriptAreFoundWhereTheyAre() throws Exception {
    Path config = TestServer.copyConfig(Path.of("config"));
    Files.writeString(config.resolve(ScriptLibrary.FILE), """
        categories:
          - id: implant
            name: 种植
            scripts:
              - id: promise
                title: 种植效果
                text: 我们的种植技术全市第一，保证终身不掉。
        """);
    YamlReader yaml = new YamlReader();
    Problems problems = new Problems();
    AdvertisingWords.install(config, yaml, problems);

    ScriptLibrary.load(config, yaml, problems);

    assertThat(problems.warningsText()).contains("scripts.yaml:7:").contains("第一").contains("保证");
  }

  @Test
  void repliesAreSearchableAndFilledInForTheSenderAndThePatient() {
    Problems problems = new Problems();
    YamlReader yaml = new YamlReader();
    Accounts accounts = Accounts.load(Path.of("config"), yaml, problems);
    QuickReplies replies = new QuickReplies(FaqLibrary.load(Path.of("config"), yaml, accounts, problems),
        ScriptLibrary.load(Path.of("config"), yaml, problems));
    Optional<Account> lily = accounts.find("assistant-lily");

    var booking = replies.matching("预约", lily, "张三");
    assertThat(booking).isNotEmpty();
    assertThat(booking.get(0).id()).isEqualTo("script:booking-confirm");
    assertThat(booking.get(0).text()).startsWith("张三您好，我是小美～");
    assertThat(replies.matching("停车", lily, "")).extracting(QuickReplies.Reply::category).contains("常见问题");
    assertThat(replies.matching("", lily, "")).hasSizeGreaterThan(10);
    assertThat(replies.matching("没有这样的话术", lily, "")).isEmpty();
  }
}
