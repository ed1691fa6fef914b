package app.liuliang.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The sandbox's 继承 API moves on like a corp's: waiting until the takeover delay, then taken over, the
 * second customer of a pair refusing; a departed member's customers listed until taken over; a repeat while
 * waiting answered 40129.
 */
class SandboxTransfersTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String API = "/cgi-bin/externalcontact/";

  @Test
  void customersWaitThenAreTakenOverOrRefuseAndLeaveTheUnassignedList() throws Exception {
    AtomicLong now = new AtomicLong(1_800_000_000_000L);
    TransferStubs stubs = new TransferStubs(Duration.ofMinutes(2), now::get);
    WireMockServer server = new WireMockServer(WireMockConfiguration.options().dynamicPort().extensions(stubs));
    server.start();
    try {
      stubs.install(server);
      String base = "http://127.0.0.1:" + server.port() + API;

      JsonNode unassigned = post(base + "get_unassigned_list", "{\"cursor\":\"\",\"page_size\":1000}");
      assertThat(unassigned.path("info")).extracting(n -> n.path("external_userid").asText())
          .containsExactlyElementsOf(TransferStubs.DEPARTED_CUSTOMERS);
      assertThat(unassigned.path("info").get(0).path("handover_userid").asText()).isEqualTo(TransferStubs.DEPARTED);
      assertThat(unassigned.path("is_last").asBoolean()).isTrue();

      String pair = "\"handover_userid\":\"" + TransferStubs.DEPARTED + "\",\"takeover_userid\":\"assistant-lily\"";
      JsonNode started = post(base + "resigned/transfer_customer", "{" + pair
          + ",\"external_userid\":[\"wmSandboxLeft01\",\"wmSandboxLeft02\",\"wmSandboxLeft03\"]}");
      assertThat(started.path("customer")).extracting(n -> n.path("errcode").asInt()).containsExactly(0, 0, 0);

      now.addAndGet(Duration.ofMinutes(1).toMillis());
      assertThat(statuses(post(base + "resigned/transfer_result", "{" + pair + ",\"cursor\":\"\"}")))
          .isEqualTo(Map.of("wmSandboxLeft01", 2, "wmSandboxLeft02", 2, "wmSandboxLeft03", 2));
      JsonNode waiting = post(base + "resigned/transfer_result", "{" + pair + "}").path("customer").get(0);
      assertThat(waiting.path("takeover_time").asLong()).as("the future takeover time")
          .isEqualTo(1_800_000_000L + 120);
      assertThat(post(base + "resigned/transfer_customer", "{" + pair + ",\"external_userid\":[\"wmSandboxLeft01\"]}")
          .path("customer").get(0).path("errcode").asInt()).as("already being transferred").isEqualTo(40129);
      assertThat(statuses(post(base + "transfer_result", "{" + pair + "}"))).as("the 在职 API knows nothing of it")
          .isEmpty();

      now.addAndGet(Duration.ofMinutes(1).toMillis());
      assertThat(statuses(post(base + "resigned/transfer_result", "{" + pair + "}")))
          .isEqualTo(Map.of("wmSandboxLeft01", 1, "wmSandboxLeft02", 3, "wmSandboxLeft03", 1));
      assertThat(post(base + "get_unassigned_list", "{}").path("info"))
          .extracting(n -> n.path("external_userid").asText()).as("the one who refused is still unassigned")
          .containsExactly("wmSandboxLeft02");
    } finally {
      server.stop();
    }
  }

  @Test
  void theTakeoverDelayComesFromTheEnvironment() {
    assertThat(TransferStubs.fromEnvironment(Map.of())).isNotNull();
    TransferStubs stubs = TransferStubs.fromEnvironment(Map.of(TransferStubs.TAKEOVER_AFTER_ENV, "PT5S"));
    assertThat(stubs.takeoverAfter()).isEqualTo(Duration.ofSeconds(5));
    assertThat(TransferStubs.fromEnvironment(Map.of(TransferStubs.TAKEOVER_AFTER_ENV, "soon")).takeoverAfter())
        .isEqualTo(Duration.ofMinutes(1));
  }

  private static Map<String, Integer> statuses(JsonNode answer) {
    Map<String, Integer> out = new java.util.TreeMap<>();
    answer.path("customer").forEach(c -> out.put(c.path("external_userid").asText(), c.path("status").asInt()));
    return out;
  }

  private static JsonNode post(String url, String body) throws Exception {
    HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
        .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json").build(),
        HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(answer.body());
  }
}
