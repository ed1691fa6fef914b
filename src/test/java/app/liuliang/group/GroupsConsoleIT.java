package app.liuliang.group;

import static app.liuliang.group.GroupScenario.VIP_CHAT;
import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.group.GroupScenario.Member;
import app.liuliang.testing.TestServer;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The console's 客户群 page over real HTTP, after real group events. */
class GroupsConsoleIT {

  private static String page(TestServer server, String path) throws Exception {
    HttpResponse<String> reply = server.get(path, TestServer.admin());
    assertThat(reply.statusCode()).as(path).isEqualTo(200);
    return reply.body();
  }

  @Test
  void thePageShowsCategoriesGroupsCountsAndAPatientsGroupsInChinese() throws Exception {
    try (TestServer server = TestServer.builder().start()) {
      GroupScenario given = new GroupScenario(server);
      given.patient("wmA", "阿梅");
      given.patient("wmB", "阿彬");
      long joined = server.clock().millis() / 1000;
      given.group(VIP_CHAT, "种植VIP群1", "v2", Member.staff("assistant-lily"), Member.patient("wmA", "阿梅", joined),
          Member.patient("wmB", "阿彬", joined));
      given.event(VIP_CHAT, "update", "add_member", List.of("wmA", "wmB"), "v1", "v2");
      TestServer.awaitUntil(() -> given.count("SELECT COUNT(*) FROM group_members WHERE type = 2") == 2);
      server.clock().advance(Duration.ofMinutes(1));
      given.group(VIP_CHAT, "种植VIP群1", "v3", Member.staff("assistant-lily"), Member.patient("wmA", "阿梅", joined));
      given.event(VIP_CHAT, "update", "del_member", List.of("wmB"), "v2", "v3");
      TestServer.awaitUntil(() -> given.value("SELECT left_at FROM group_members WHERE member_id = 'wmB'") != null);
      given.awaitQuiet();

      String html = page(server, "/admin/groups");
      assertThat(html).contains("客户群分类").contains("种植VIP群").contains("会员福利群").contains("退群提醒")
          .contains("<td>小美</td>").contains("种植VIP群1").contains("每日入群").contains("每日退群")
          .contains("<svg class=\"chart\"").contains("尚未生成").doesNotContain("assistant-lily");
      // 种植VIP群: one group, one patient in it, two joins and one leave this week.
      assertThat(html.replaceAll("\\s+", " "))
          .contains("<td class=\"num\">1</td><td class=\"num\">1</td> <td class=\"num\">2</td><td class=\"num\">1</td>");

      String lookup = page(server, "/admin/groups?patient=" + URLEncoder.encode("阿彬", StandardCharsets.UTF_8));
      assertThat(lookup).contains("阿彬（意向）").contains("<td>种植VIP群1</td><td>种植VIP群</td>").contains("已退群");
      assertThat(page(server, "/admin/groups?patient=nobody")).contains("没有找到这位患者");

      assertThat(page(server, "/admin/groups/poster?category=" + URLEncoder.encode("种植VIP群", StandardCharsets.UTF_8)))
          .contains("种植VIP群").contains("群活码尚未生成");
      assertThat(server.get("/admin/groups/poster?category=nope", TestServer.admin()).statusCode()).isEqualTo(404);
      assertThat(server.get("/admin/groups").statusCode()).isEqualTo(303);
    }
  }
}
