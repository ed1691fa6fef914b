package app.liuliang.channel;

import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.account.Accounts;
import app.liuliang.config.Problems;
import app.liuliang.config.YamlReader;
import app.liuliang.contact.ChannelCatalog;
import app.liuliang.contact.TagCatalog;
import app.liuliang.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The {@code code:} blocks of channels.yaml: what they declare, and every mistake with file:line:column. */
class ChannelCodesConfigTest {

  private final YamlReader yaml = new YamlReader();

  @Test
  void theShippedFileDeclaresACodeForEveryChannelButUnknownAndReferral() {
    ChannelCatalog catalog = load(Path.of("config"), new Problems());

    List<String> states = catalog.codes().stream().map(ChannelCatalog.DeclaredCode::state).toList();
    assertThat(states).contains("lc.meituan.main", "lc.meituan.east", "lc.douyin", "lc.free_clinic")
        .allSatisfy(s -> assertThat(s.length()).isLessThanOrEqualTo(30));
    assertThat(catalog.codes()).extracting(c -> c.channel().id()).doesNotContain("unknown", "referral")
        .contains("meituan", "dianping", "douyin", "free_clinic", "front_desk");
    assertThat(catalog.codes()).filteredOn(c -> c.state().equals("lc.free_clinic")).singleElement()
        .satisfies(c -> assertThat(c.accounts()).hasSize(2));
    assertThat(catalog.store("east").orElseThrow().name()).isEqualTo("城东分院");
  }

  @Test
  void everyMistakeIsReportedWithItsPlace() throws Exception {
    Path config = TestServer.copyConfig(Path.of("config"));
    String hundredAndOne = IntStream.range(0, 101).mapToObj(i -> "assistant-lily").collect(Collectors.joining(", "));
    Files.writeString(config.resolve("channels.yaml"), """
        clinic: 留量口腔
        stores:
          - id: main
            name: 总院
        channels:
          - id: meituan
            name: 美团
            tag: 来源-美团
            code:
              accounts: [assistant-lily, nobody]
              stores: [main, west]
          - id: a_very_long_channel_identifier
            name: 长
            tag: 来源-抖音
            code:
              accounts: [assistant-lily]
          - id: douyin
            name: 抖音
            tag: 来源-抖音
            code:
              accounts: [%s]
              remark: 这是一段超过三十个字的备注这是一段超过三十个字的备注这是一段超过三十个字
          - id: referral
            name: 老带新
            state_prefix: "ref:"
            tag: 来源-老带新
            code:
              accounts: [assistant-lily]
          - id: unknown
            name: 未知来源
            tag: 来源-未知
        """.formatted(hundredAndOne));
    Problems problems = new Problems();

    assertThat(load(config, problems)).isNull();

    String report = problems.toString();
    assertThat(report).contains("channels.yaml:10:").contains("unknown account \"nobody\"");
    assertThat(report).contains("channels.yaml:11:").contains("unknown store \"west\"");
    assertThat(report).contains("channels.yaml:15:").contains("code state \"lc.a_very_long_channel_identifier\" is 33 characters");
    assertThat(report).contains("a code needs 1 to 100 accounts, has 101");
    assertThat(report).contains("remark is").contains("WeCom allows 30");
    assertThat(report).contains("channel \"referral\" cannot have a channel code");
  }

  private ChannelCatalog load(Path config, Problems problems) {
    TagCatalog tags = TagCatalog.load(config, yaml, problems);
    Accounts accounts = Accounts.load(config, yaml, problems);
    return ChannelCatalog.load(config, yaml, tags, accounts, problems);
  }
}
