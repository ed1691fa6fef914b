package app.liuliang.web.console;

import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.app.Settings;
import app.liuliang.testing.TestServer;
import org.junit.jupiter.api.Test;

/** In sandbox mode the console's 沙箱 page shows what the bot sent; with a real corp there is no such page. */
class SandboxConsoleIT {

  @Test
  void theSandboxPageListsTheBotsRequestsAndTheLastSimulatedPatientIsKnown() throws Exception {
    try (TestServer server = TestServer.builder().env(Settings.ADMIN_TOKEN, "").env(Settings.CORP_ID, "").start()) {
      ConsoleClient browser = new ConsoleClient(server);
      assertThat(server.get("/api/sandbox/contacts/last").statusCode()).isEqualTo(404);
      server.post("/api/sandbox/contacts", "{\"external_userid\":\"wmSIMzhang\",\"name\":\"张三\",\"userid\":\"assistant-lily\"}",
          "Content-Type", "application/json");
      assertThat(server.get("/api/sandbox/contacts/last").body()).contains("wmSIMzhang");

      // At start the bot reads (and makes) the corp tags in the fake WeCom.
      TestServer.awaitUntil(() -> {
        try {
          return browser.get("/admin/sandbox").body().contains("读取标签");
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      String html = browser.get("/admin/sandbox").body();
      assertThat(html).contains("沙箱").contains("get_corp_tag_list").doesNotContain("access_token");
    }
  }

  @Test
  void withARealCorpThereIsNoSandboxPage() throws Exception {
    try (TestServer server = TestServer.builder().start()) {
      assertThat(server.get("/admin/sandbox", TestServer.admin()).statusCode()).isEqualTo(404);
      assertThat(server.get("/admin", TestServer.admin()).body()).doesNotContain("/admin/sandbox");
    }
  }
}
