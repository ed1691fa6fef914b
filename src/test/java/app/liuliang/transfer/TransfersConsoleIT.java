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
      given.transfersStart();
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
          .contains("张三").contains("等待接替（24 小时内）").contains("跟进结果中").contains("小美 · 前台健康顾问");
      assertThat(browser.get("/admin/transfers?error=same").body()).contains("转出员工和接替员工不能是同一人。");
      assertThat(given.sent(TransferScenario.TRANSFER)).hasSize(1);
    }
  }
}
