package app.liuliang.web.console;

import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.sandbox.SandboxWeCom;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The sandbox's 沙箱 page reads what the bot sent: Chinese decoded, local times, newest first. */
class SandboxSendsTest {

  @Test
  void sendsAreDecodedNamedAndNewestFirst() throws Exception {
    try (SandboxWeCom sandbox = new SandboxWeCom(0)) {
      send(sandbox, "/cgi-bin/externalcontact/mark_tag?access_token=SECRET",
          "{\"userid\":\"dr-wang\",\"external_userid\":\"wm1\",\"add_tag\":[\"t1\"]}");
      send(sandbox, "/cgi-bin/kf/send_msg?access_token=SECRET",
          "{\"touser\":\"wm1\",\"msgtype\":\"text\",\"text\":{\"content\":\"\\u60a8\\u597d\\uff0c\\u6211\\u662f\\u5c0f\\u7f8e\"}}");
      SandboxSends sends = new SandboxSends(sandbox,
          new ConsoleTime(Clock.fixed(Instant.parse("2026-11-25T04:00:00Z"), ZoneId.of("UTC")), ZoneId.of("Asia/Shanghai")));

      List<SandboxSends.Send> latest = sends.latest();

      assertThat(latest).hasSize(2);
      assertThat(latest.get(0).kind()).isEqualTo("客服消息");
      assertThat(latest.get(0).to()).isEqualTo("wm1");
      assertThat(latest.get(0).text()).isEqualTo("您好，我是小美");
      assertThat(latest.get(0).body()).contains("您好，我是小美").doesNotContain("\\u60a8");
      assertThat(latest.get(0).at()).matches("\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d");
      assertThat(latest.get(1).kind()).isEqualTo("打标签");
      assertThat(latest.get(1).to()).isEqualTo("wm1");
      assertThat(latest.get(1).path()).doesNotContain("SECRET");

      Map<String, Object> model = new HashMap<>(Map.of("sends", latest, "page", "sandbox", "title", "沙箱",
          "csrf", "x", "signedIn", false, "openMode", true, "now", ""));
      String html = new ConsolePages().render("sandbox", model);
      assertThat(html).contains("您好，我是小美").contains("客服消息").contains("href=\"/admin/sandbox\"");
    }
  }

  private static void send(SandboxWeCom sandbox, String path, String body) throws Exception {
    HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + path))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
