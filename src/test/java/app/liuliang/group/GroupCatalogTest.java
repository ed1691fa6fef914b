package app.liuliang.group;

import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.account.Accounts;
import app.liuliang.config.ConfigProblem;
import app.liuliang.config.Problems;
import app.liuliang.config.YamlReader;
import app.liuliang.contact.TagCatalog;
import app.liuliang.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class GroupCatalogTest {

  private final YamlReader yaml = new YamlReader();

  private GroupCatalog load(Path config, Problems problems) {
    Accounts accounts = Accounts.load(config, yaml, problems);
    TagCatalog tags = TagCatalog.load(config, yaml, problems);
    return GroupCatalog.load(config, yaml, accounts, tags, problems);
  }

  private static Path shippedWithGroups(String text) throws Exception {
    Path config = TestServer.copyConfig(Path.of("config"));
    Files.writeString(config.resolve("groups.yaml"), text);
    return config;
  }

  private static List<String> located(Problems problems) {
    return problems.sorted().stream().map(p -> p.line() + ":" + p.column() + ": " + p.message()).toList();
  }

  @Test
  void theShippedCategoriesHaveACodeAndAJoinWelcomeEach() {
    Problems problems = new Problems();
    GroupCatalog catalog = load(Path.of("config"), problems);

    assertThat(problems.sorted()).isEmpty();
    assertThat(catalog.categories()).extracting(GroupCatalog.Category::name).contains("种植VIP群", "会员福利群");
    assertThat(catalog.categories()).allSatisfy(c -> {
      assertThat(c.code()).isNotNull();
      assertThat(c.welcome()).isNotNull();
    });
    assertThat(catalog.find("种植VIP群").orElseThrow().churnAlert()).isTrue();
  }

  @Test
  void everyProblemIsReportedAtItsLineAndColumnInOneRun() throws Exception {
    Problems problems = new Problems();
    GroupCatalog catalog = load(shippedWithGroups("""
        categories:
          - name: 种植VIP群
            owners: [assistant-lily, dr-li]
            tags: [已入群-不存在]
            layer: vip
            code:
              remark: 这是一个非常非常非常非常非常非常非常非常非常长的活码备注超过三十个字
              chat_ids: [c1, c2, c3, c4, c5, c6]
              state: grp-a
            welcome:
              text: "%NICKNAME% 您好 %NAME%"
              attachment: {type: video}
          - name: 种植VIP群
            owners: [assistant-lily]
            code:
              auto_create_room: true
              chat_ids: [c7]
              state: grp-a
        churn:
          admin_layers: [vip]
        """), problems);

    assertThat(catalog).isNull();
    // Each at its key (a list item at its first element), auto_create_room defaulting to true in both codes.
    assertThat(located(problems)).containsExactly(
        "3:30: unknown account \"dr-li\"",
        "4:12: unknown tag \"已入群-不存在\"",
        "5:5: unknown layer \"vip\"",
        "6:5: auto_create_room needs a room_base_name",
        "7:7: remark is 34 characters, at most 30",
        "8:7: a group code needs 1 to 5 chat ids, has 6",
        "11:7: unknown placeholder %NAME%",
        "12:20: attachment type must be link or image, was \"video\"",
        "13:5: duplicate category \"种植VIP群\"",
        "15:5: auto_create_room needs a room_base_name",
        "18:7: state \"grp-a\" is used by another category",
        "20:18: unknown layer \"vip\"");
  }

  @Test
  void anUnknownKeyGetsADidYouMean() throws Exception {
    Problems problems = new Problems();
    load(shippedWithGroups("""
        categories:
          - name: 会员福利群
            owners: [assistant-lily]
            churn_alertt: true
        """), problems);

    assertThat(problems.sorted()).singleElement().satisfies((ConfigProblem p) -> {
      assertThat(p.line()).isEqualTo(4);
      assertThat(p.message()).isEqualTo("unknown key \"churn_alertt\"");
      assertThat(p.hint()).contains("churn_alert");
    });
  }

  @Test
  void withoutGroupsYamlThereAreNoCategories() throws Exception {
    Path config = TestServer.copyConfig(Path.of("config"));
    Files.delete(config.resolve("groups.yaml"));
    Problems problems = new Problems();

    assertThat(load(config, problems).categories()).isEmpty();
    assertThat(problems.sorted()).isEmpty();
  }

  @Test
  void aWelcomeOfferingAnUnknownCategoryIsAProblemWhereThePlaceholderIs() throws Exception {
    Path config = TestServer.copyConfig(Path.of("config"));
    Path file = config.resolve("welcome/assistant.yaml");
    Files.writeString(file, Files.readString(file).replace("{group_qr:会员福利群}", "{group_qr:正畸交流群}"));
    Problems problems = new Problems();
    Accounts accounts = Accounts.load(config, yaml, problems);
    TagCatalog tags = TagCatalog.load(config, yaml, problems);
    GroupCatalog groups = GroupCatalog.load(config, yaml, accounts, tags, problems);
    app.liuliang.contact.WelcomeTemplates.load(config, yaml,
        app.liuliang.contact.ChannelCatalog.load(config, yaml, tags, null, problems), accounts, groups.names(), problems);

    int line = Files.readAllLines(file).stream().map(l -> l.contains("{group_qr:正畸交流群}")).toList().indexOf(true) + 1;
    int column = Files.readAllLines(file).get(line - 1).indexOf("{group_qr:") + 1;
    assertThat(problems.sorted()).singleElement().satisfies((ConfigProblem p) -> {
      assertThat(p.line() + ":" + p.column()).isEqualTo(line + ":" + column);
      assertThat(p.message()).isEqualTo("unknown group category \"正畸交流群\" in {group_qr:正畸交流群}");
      assertThat(p.hint()).contains("种植VIP群");
    });
  }
}
