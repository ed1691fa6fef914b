package app.liuliang.web.sidebar;

import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.app.Settings;
import app.liuliang.testing.TestServer;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** In sandbox mode the fake WeCom plays the OAuth2 page, and the page gets a stand-in for the JS-SDK. */
class SandboxSidebarIT {

  @Test
  void theSandboxSignsInAsItsAssistantAndServesAStandInSdk() throws Exception {
    try (TestServer server = TestServer.builder().env(Settings.ADMIN_TOKEN, "").env(Settings.CORP_ID, "").start()) {
      HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager())
          .followRedirects(HttpClient.Redirect.NORMAL).build();

      HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/sidebar?contact=wmSIM"))
          .GET().build(), HttpResponse.BodyHandlers.ofString());

      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.uri().toString()).isEqualTo(server.baseUrl() + "/sidebar?contact=wmSIM");
      assertThat(page.body()).contains("<span id=\"staff\">小美</span>").contains(SidebarRoutes.SANDBOX_SDK);
      assertThat(server.get(SidebarRoutes.SANDBOX_SDK).body()).contains("window.ww");
    }
  }
}
