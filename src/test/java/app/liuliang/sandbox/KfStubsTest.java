package app.liuliang.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class KfStubsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void batchgetGivesQueuedNicknamesAndADefaultForOthers() throws Exception {
    try (SandboxWeCom sandbox = new SandboxWeCom(0)) {
      KfStubs stubs = KfStubs.install(sandbox);
      assertThat(batchget(sandbox, "wmA").path("customer_list").get(0).path("nickname").asText())
          .isEqualTo(KfStubs.DEFAULT_NICKNAME);

      stubs.queue("wkKF", "wmA", "牙疼", "张三");
      stubs.queue("wkKF", "wmB", "几点开门", "{{小B}}");
      stubs.queue("wkKF", "wmC", "停车方便吗", "");

      JsonNode answer = batchget(sandbox, "wmA", "wmB", "wmC");
      assertThat(answer.path("errcode").asInt(-1)).isZero();
      assertThat(answer.path("customer_list").findValuesAsText("external_userid")).containsExactly("wmA", "wmB", "wmC");
      assertThat(answer.path("customer_list").findValuesAsText("nickname"))
          .containsExactly("张三", "{{小B}}", KfStubs.DEFAULT_NICKNAME);
      assertThat(answer.path("invalid_external_userid")).isEmpty();
    }
  }

  private static JsonNode batchget(SandboxWeCom sandbox, String... ids) throws Exception {
    var body = JSON.createObjectNode();
    var list = body.putArray("external_userid_list");
    for (String id : ids) {
      list.add(id);
    }
    body.put("need_enter_session_context", 0);
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + "/cgi-bin/kf/customer/batchget?access_token=T"))
            .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
        HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(response.body());
  }
}
