package app.liuliang.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.testing.TestServer;
import app.liuliang.web.console.ConsoleClient;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The 继承 page: a signed-in operator starts a transfer with the session's CSRF token and sees it by name. */
class TransfersConsoleIT {

  @Test
  void anOperatorStartsATransferAndSeesStaffAndPatientsByName() throws Exception {
    try (TestServer server = TestServer.builder().start()) {
      TransferScenario given = new TransferScenario(server);
      given.patient("wmZhang", "张三", "ordered", "assistant-lily");
      given.patient("wmBad", "王五", "ordered", "assistant-lily");
      given.transfersAnswer(java.util.Map.of("wmZhang", 0, "wmBad", 40096));
      ConsoleClient browser = new ConsoleClient(server);
      browser.login(TestServer.ADMIN_TOKEN);

      assertThat(browser.postForm("/admin/transfers", "csrf=forged&from=assistant-lily&to=dr-wang").statusCode())
          .isEqualTo(403);
      String csrf = browser.csrfFrom("/admin/transfers");
      HttpResponse<String> started = browser.postForm("/admin/transfers",
          "csrf=" + csrf + "&from=assistant-lily&to=dr-wang&layer=&tag=");
      assertThat(started.statusCode()).isEqualTo(303);
      assertThat(started.headers().firstValue("Location").orElseThrow()).startsWith("/admin/transfers?started=tr-");
      HttpResponse<String> same = browser.postForm("/admin/transfers", "csrf=" + csrf + "&from=dr-wang&to=dr-wang");
      assertThat(same.headers().firstValue("Location")).hasValue("/admin/transfers?error=same");

      String page = browser.get("/admin/transfers").body();
      assertThat(page).contains("<title>继承 · 留量控制台</title>").contains("在职继承 · 小美 → 王医生")
          .contains("张三").contains("等待接替（24 小时内）")
          .contains("<td>企业微信拒绝</td><td></td><td>错误码 40096（不合法的外部联系人 userid）</td>").contains("跟进结果中").contains("小美 · 前台健康顾问");
      assertThat(browser.get("/admin/transfers?error=same").body()).contains("转出员工和接替员工不能是同一人。");
      assertThat(given.sent(TransferScenario.TRANSFER)).hasSize(1);
    }
  }

  @Test
  void inTheSandboxTheOperatorSeesTheDepartedMembersCustomersAndAsksForResultsAtOnce() throws Exception {
    try (TestServer server = TestServer.builder().env(app.liuliang.app.Settings.CORP_ID, "").start()) {
      server.wiring().sandbox().orElseThrow().transfers().takeoverAfter(java.time.Duration.ofMillis(200));
      TransferScenario given = new TransferScenario(server);
      given.patient("wmZhang", "张三", "ordered", "assistant-lily");
      given.patient("wmLi", "李四", "ordered", "assistant-lily");
      ConsoleClient browser = new ConsoleClient(server);
      browser.login(TestServer.ADMIN_TOKEN);

      String page = browser.get("/admin/transfers").body();
      assertThat(page).contains("待分配的离职员工客户").contains("<td>assistant-jing</td><td>3 位</td>")
          .contains("<option value=\"assistant-jing\">assistant-jing · 离职，3 位待分配</option>");
      String csrf = browser.csrfFrom("/admin/transfers");
      browser.postForm("/admin/transfers", "csrf=" + csrf + "&from=assistant-lily&to=dr-wang&layer=&tag=");
      Thread.sleep(300);
      HttpResponse<String> followed = browser.postForm("/admin/transfers/follow", "csrf=" + csrf);
      assertThat(followed.headers().firstValue("Location")).hasValue("/admin/transfers?followed=1");

      page = browser.get("/admin/transfers?followed=1").body();
      assertThat(page).contains("已查询 1 个未完成的继承的最新结果。").contains("已完成")
          .contains("<td>已接替</td>").contains("<td>客户拒绝</td>").contains("张三").contains("李四")
          .doesNotContain("wmZhang</a>");
    }
  }
}
