package app.liuliang.message;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.notContaining;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import app.liuliang.sandbox.CallbackSimulator;
import app.liuliang.sandbox.KfStubs;
import app.liuliang.testing.MutableClock;
import app.liuliang.testing.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Jdbi;

/** Given/when helpers for kf message scenarios against a {@link TestServer}. */
final class KfScenario {

  static final String KF = "wkKF0001";
  /** Wednesday 2026-11-25 10:00 in Shanghai: every doctor works. */
  static final Instant WEDNESDAY_10 = Instant.parse("2026-11-25T02:00:00Z");
  static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicInteger IDS = new AtomicInteger();

  private KfScenario() {
  }

  static TestServer server(Instant at) throws Exception {
    return TestServer.builder().clock(new MutableClock(at)).start();
  }

  static ObjectNode text(String msgid, String ext, String content) {
    return KfStubs.textMessage(msgid, ext, KF, content, 1_764_036_000L);
  }

  /** sync_msg answers this page when called with {@code cursor} (null: no cursor yet). */
  static void page(TestServer server, String cursor, String next, boolean hasMore, List<ObjectNode> messages) {
    var request = post(urlPathEqualTo("/cgi-bin/kf/sync_msg"));
    request = cursor == null ? request.withRequestBody(notContaining("\"cursor\""))
        : request.withRequestBody(matchingJsonPath("$.cursor", equalTo(cursor)));
    server.wecom().stubFor(request.atPriority(2).willReturn(okJson(KfStubs.syncAnswer(next, hasMore, messages))));
  }

  /** One patient message via a fresh callback. */
  static void patientWrites(TestServer server, String ext, String content) throws Exception {
    String msgid = "m" + IDS.incrementAndGet() + "-" + System.nanoTime();
    server.wecom().stubFor(post(urlPathEqualTo("/cgi-bin/kf/sync_msg")).atPriority(3)
        .willReturn(okJson(KfStubs.syncAnswer("", false, List.of(text(msgid, ext, content))))));
    callback(server);
    TestServer.awaitUntil(() -> handled(jdbi(server), msgid));
  }

  static void callback(TestServer server) throws Exception {
    server.postCallback(CallbackSimulator.kfMsgOrEvent(TestServer.CORP_ID, "TOKEN" + IDS.incrementAndGet(), KF,
        server.clock().millis() / 1000));
  }

  static Jdbi jdbi(TestServer server) {
    return server.wiring().foundation().database().jdbi();
  }

  static boolean handled(Jdbi jdbi, String msgid) {
    return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM messages WHERE msgid = :m AND handled_at IS NOT NULL")
        .bind("m", msgid).mapTo(Integer.class).one()) == 1;
  }

  static int count(Jdbi jdbi, String sql) {
    return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Integer.class).one());
  }

  static String one(Jdbi jdbi, String sql) {
    return jdbi.withHandle(h -> h.createQuery(sql).mapTo(String.class).findOne().orElse(null));
  }

  static void exec(Jdbi jdbi, String sql) {
    jdbi.useHandle(h -> h.execute(sql));
  }

  /** Bodies WeCom received on {@code path}, oldest first. */
  static List<JsonNode> sent(TestServer server, String path) {
    return server.wecom().findAll(postRequestedFor(urlPathEqualTo(path))).stream().map(LoggedRequest::getBodyAsString)
        .map(KfScenario::read).toList();
  }

  static void awaitSent(TestServer server, String path, int count) {
    TestServer.awaitUntil(() -> sent(server, path).size() >= count);
  }

  static MessageFeature feature(TestServer server) {
    return server.wiring().features().stream().filter(MessageFeature.class::isInstance).map(MessageFeature.class::cast)
        .findFirst().orElseThrow();
  }

  private static JsonNode read(String body) {
    try {
      return JSON.readTree(body);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
