package app.liuliang.wecom;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.app.Json;
import app.liuliang.app.WeComCredentials;
import app.liuliang.retry.Backoff;
import app.liuliang.store.Database;
import app.liuliang.testing.MutableClock;
import app.liuliang.testing.TestServer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import app.liuliang.store.Node;
import app.liuliang.store.StoreKind;
import app.liuliang.store.StoreLocation;
import app.liuliang.store.TestStores;

/** The outbox and the WxJava client against WireMock as WeCom, on a real SQLite file. */
@ParameterizedClass
@MethodSource("app.liuliang.store.TestStores#kinds")
class OutboxIT {

  @Parameter
  StoreKind kind;


  private static final String SEND = "/cgi-bin/externalcontact/send_welcome_msg";
  private static final String BROADCAST = "/cgi-bin/externalcontact/add_msg_template";
  private static final String MOMENT = "/cgi-bin/externalcontact/add_moment_task";
  private static final OutboxWorker.Settings SETTINGS = new OutboxWorker.Settings(2, 10,
      new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(1)), Duration.ofHours(24));

  private final ObjectMapper json = Json.mapper();
  private final MutableClock clock = MutableClock.atSystemTime();
  private WireMockServer wecom;
  private StoreLocation dataDir;
  // One node throughout: a crash and restart here is the same node coming back (LIULIANG_NODE_ID kept).
  private final Node node = new Node("outbox-it");
  private Database db;
  private Outbox outbox;
  private OutboxWorker worker;
  private WxJavaWeComClient client;

  @BeforeEach
  void start() throws Exception {
    wecom = TestServer.startWeCom();
    dataDir = TestStores.location(kind, Files.createTempDirectory("outbox"));
    open();
  }

  private void open() {
    db = Database.open(dataDir);
    WeComCredentials credentials = new WeComCredentials(TestServer.CORP_ID, "1000002", "secret", TestServer.TOKEN,
        TestServer.AES_KEY, "http://127.0.0.1:" + wecom.port(), false);
    client = new WxJavaWeComClient(credentials, db.jdbi(), clock, json, new SimpleMeterRegistry());
    outbox = new Outbox(db, json, clock);
    worker = new OutboxWorker(outbox, node, client, List.of(), List.of(), OutboxWorker.standardChecks(client, json, clock),
        clock, SETTINGS, new SimpleMeterRegistry());
  }

  private void crash() {
    worker.close();
    db.close();
  }

  @AfterEach
  void stop() {
    crash();
    wecom.stop();
  }

  private ObjectNode body(String code) {
    return json.createObjectNode().put("welcome_code", code);
  }

  private OutboxRequest welcome(String key, String code) {
    Instant now = clock.instant();
    return OutboxRequest.toPatient(key, "welcome", SEND, body(code), "wm1", true, now, now.plusSeconds(20));
  }

  private String status(String key) {
    return outbox.repository().findByKey(key).orElseThrow().status();
  }

  private void awaitStatus(String key, String expected) {
    TestServer.awaitUntil(() -> expected.equals(status(key)));
  }

  @Test
  void tokenIsFetchedOnceAndReusedAcrossCallsAndRestarts() throws Exception {
    client.post("/cgi-bin/externalcontact/get_corp_tag_list", json.createObjectNode());
    client.post("/cgi-bin/externalcontact/get_corp_tag_list", json.createObjectNode());
    crash();
    open();
    client.post("/cgi-bin/externalcontact/get_corp_tag_list", json.createObjectNode());

    wecom.verify(1, getRequestedFor(urlPathEqualTo("/cgi-bin/gettoken")));
    wecom.verify(3, postRequestedFor(urlPathEqualTo("/cgi-bin/externalcontact/get_corp_tag_list")));
  }

  /** WeCom hands out OLD first and NEW on the next gettoken. */
  private void gettokenAnswersOldThenNew() {
    for (String[] step : new String[][] {{Scenario.STARTED, "second", "OLD"}, {"second", "second", "NEW"}}) {
      wecom.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(urlPathEqualTo("/cgi-bin/gettoken")).atPriority(1)
          .inScenario("token").whenScenarioStateIs(step[0]).willSetStateTo(step[1])
          .willReturn(okJson("{\"errcode\":0,\"access_token\":\"" + step[2] + "\",\"expires_in\":7200}")));
    }
  }

  @Test
  void expiredTokenIsRefreshedOnceAndTheCallRetried() throws Exception {
    gettokenAnswersOldThenNew();
    wecom.stubFor(post(urlPathEqualTo(SEND)).atPriority(1)
        .withQueryParam("access_token", com.github.tomakehurst.wiremock.client.WireMock.equalTo("OLD"))
        .willReturn(TestServer.errcode(42001, "access_token expired")));

    client.post(SEND, body("C1"));

    wecom.verify(2, getRequestedFor(urlPathEqualTo("/cgi-bin/gettoken")));
    wecom.verify(1, postRequestedFor(urlPathEqualTo(SEND))
        .withQueryParam("access_token", com.github.tomakehurst.wiremock.client.WireMock.equalTo("NEW")));
  }

  @Test
  void manyCallsFailingWithTheSameStaleTokenRefreshItOnce() throws Exception {
    gettokenAnswersOldThenNew();
    wecom.stubFor(post(urlPathEqualTo(SEND)).atPriority(1)
        .withQueryParam("access_token", com.github.tomakehurst.wiremock.client.WireMock.equalTo("OLD"))
        .willReturn(TestServer.errcode(40014, "invalid access_token").withFixedDelay(50)));
    client.post("/cgi-bin/externalcontact/get_corp_tag_list", json.createObjectNode());

    List<Thread> callers = new java.util.ArrayList<>();
    java.util.concurrent.atomic.AtomicInteger ok = new java.util.concurrent.atomic.AtomicInteger();
    for (int i = 0; i < 8; i++) {
      String code = "C" + i;
      Thread caller = new Thread(() -> {
        try {
          client.post(SEND, body(code));
          ok.incrementAndGet();
        } catch (WeComApiException e) {
          throw new AssertionError(e);
        }
      });
      caller.start();
      callers.add(caller);
    }
    for (Thread t : callers) {
      t.join();
    }

    assertThat(ok.get()).isEqualTo(8);
    wecom.verify(2, getRequestedFor(urlPathEqualTo("/cgi-bin/gettoken")));
  }

  @Test
  void rateLimitedSendBacksOffThenSucceeds() {
    wecom.stubFor(post(urlPathEqualTo(SEND)).atPriority(1).inScenario("busy").whenScenarioStateIs(Scenario.STARTED)
        .willSetStateTo("ok").willReturn(TestServer.errcode(45009, "api freq out of limit")));
    wecom.stubFor(post(urlPathEqualTo(SEND)).atPriority(1).inScenario("busy").whenScenarioStateIs("ok")
        .willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\"}")));

    outbox.enqueue(welcome("w1", "C1"));
    TestServer.awaitUntil(() -> outbox.repository().findByKey("w1").orElseThrow().attempts() == 1
        && "pending".equals(status("w1")));
    assertThat(outbox.repository().findByKey("w1").orElseThrow().errcode()).isEqualTo(45009);

    clock.advance(Duration.ofSeconds(3));
    worker.wakeUp();

    awaitStatus("w1", "sent");
    wecom.verify(2, postRequestedFor(urlPathEqualTo(SEND)));
  }

  @Test
  void refusalEndsTheActionKeepingTheErrcode() {
    wecom.stubFor(post(urlPathEqualTo(SEND)).atPriority(1).willReturn(TestServer.errcode(41051, "welcome code used")));

    outbox.enqueue(welcome("w2", "C2"));

    awaitStatus("w2", "failed");
    assertThat(outbox.repository().findByKey("w2").orElseThrow().errcode()).isEqualTo(41051);
    wecom.verify(1, postRequestedFor(urlPathEqualTo(SEND)));
  }

  @Test
  void sameIdempotencyKeyIsOneActionEvenAfterARestart() throws Exception {
    assertThat(outbox.enqueue(welcome("w3", "C3"))).isTrue();
    awaitStatus("w3", "sent");
    crash();
    open();

    assertThat(outbox.enqueue(welcome("w3", "C3"))).isFalse();
    worker.wakeUp();

    assertThat(status("w3")).isEqualTo("sent");
    wecom.verify(1, postRequestedFor(urlPathEqualTo(SEND)));
  }

  @Test
  void patientFacingSendInterruptedByACrashIsResentOnlyWhereWeComCanTellWhatHappened() throws Exception {
    crash();
    db = Database.open(dataDir);
    Outbox before = new Outbox(db, json, clock);
    Instant now = clock.instant();
    before.enqueue(OutboxRequest.toPatient("moment", "sop.moment", MOMENT, json.createObjectNode(), null, false, now,
        now.plusSeconds(3600)));
    before.enqueue(OutboxRequest.toPatient("broadcast", "sop.personal", BROADCAST, broadcastBody("wm1", "冬季洁牙"),
        "wm1", false, now, now.plusSeconds(3600)));
    before.enqueue(OutboxRequest.toPatient("safe", "welcome", SEND, body("C4"), "wm1", true, now, now.plusSeconds(20)));
    before.enqueue(OutboxRequest.internal("tag", "tag", "/cgi-bin/externalcontact/mark_tag", json.createObjectNode(),
        now, now.plusSeconds(3600)));
    // The process died with all four claimed and in flight.
    db.jdbi().useHandle(h -> h.execute("UPDATE outbox SET status = 'sending', attempts = 1"));
    db.close();

    open();

    awaitStatus("safe", "sent");
    awaitStatus("tag", "sent");
    // WeCom has no broadcast like it: the attempt never got there, so it is sent now, once.
    awaitStatus("broadcast", "sent");
    wecom.verify(1, postRequestedFor(urlPathEqualTo("/cgi-bin/externalcontact/get_groupmsg_list_v2")));
    wecom.verify(1, postRequestedFor(urlPathEqualTo(BROADCAST)));
    // No API tells whether a Moments task was created: uncertain, never resent.
    assertThat(status("moment")).isEqualTo("uncertain");
    wecom.verify(0, postRequestedFor(urlPathEqualTo(MOMENT)));
  }

  @Test
  void broadcastWhoseAnswerTimedOutIsLookedUpAndNotSentTwice() {
    wecom.stubFor(post(urlPathEqualTo(BROADCAST)).atPriority(1).willReturn(okJson("{\"errcode\":0,\"msgid\":\"msgA\"}")
        .withFixedDelay((int) PooledHttpClientBuilder.READ_TIMEOUT.toMillis() + 1_000)));
    // WeCom did create it: the list shows it, and its send result names our patient.
    wecom.stubFor(post(urlPathEqualTo("/cgi-bin/externalcontact/get_groupmsg_list_v2")).atPriority(1)
        .willReturn(okJson("{\"errcode\":0,\"group_msg_list\":[{\"msgid\":\"msgOther\",\"creator\":\"assistant-lily\","
            + "\"text\":{\"content\":\"别的\"}},{\"msgid\":\"msgA\",\"creator\":\"assistant-lily\","
            + "\"text\":{\"content\":\"冬季洁牙\"}}]}")));
    wecom.stubFor(post(urlPathEqualTo("/cgi-bin/externalcontact/get_groupmsg_send_result")).atPriority(1)
        .willReturn(okJson("{\"errcode\":0,\"send_list\":[{\"external_userid\":\"wm1\",\"userid\":\"assistant-lily\","
            + "\"status\":0}]}")));
    Instant now = clock.instant();

    outbox.enqueue(OutboxRequest.toPatient("bc", "sop.personal", BROADCAST, broadcastBody("wm1", "冬季洁牙"), "wm1",
        false, now, now.plusSeconds(3600)));
    TestServer.awaitUntil(() -> outbox.repository().findByKey("bc").orElseThrow().outcomeUnknown()
        && "pending".equals(status("bc")));
    clock.advance(Duration.ofSeconds(5));
    worker.wakeUp();

    awaitStatus("bc", "sent");
    assertThat(outbox.repository().findByKey("bc").orElseThrow().response().path("msgid").asText()).isEqualTo("msgA");
    wecom.verify(1, postRequestedFor(urlPathEqualTo(BROADCAST)));
  }

  @Test
  void unavailableGatewayIsRetriedWhileATimeoutOnAMomentIsUncertain() {
    wecom.stubFor(post(urlPathEqualTo(BROADCAST)).atPriority(1)
        .inScenario("gateway").whenScenarioStateIs(Scenario.STARTED).willSetStateTo("ok").willReturn(aResponse().withStatus(503)));
    wecom.stubFor(post(urlPathEqualTo(MOMENT)).atPriority(1).willReturn(aResponse().withStatus(504)));
    Instant now = clock.instant();

    outbox.enqueue(OutboxRequest.toPatient("bc", "sop.personal", BROADCAST, broadcastBody("wm1", "你好"), "wm1", false,
        now, now.plusSeconds(3600)));
    outbox.enqueue(OutboxRequest.toPatient("mo", "sop.moment", MOMENT, json.createObjectNode(), null, false, now,
        now.plusSeconds(3600)));

    awaitStatus("mo", "uncertain");
    TestServer.awaitUntil(() -> outbox.repository().findByKey("bc").orElseThrow().attempts() == 1 && "pending".equals(status("bc")));
    // 503 came from the gateway: nothing happened, so no lookup is needed before sending again.
    assertThat(outbox.repository().findByKey("bc").orElseThrow().outcomeUnknown()).isFalse();
    clock.advance(Duration.ofSeconds(5));
    worker.wakeUp();
    awaitStatus("bc", "sent");
    wecom.verify(0, postRequestedFor(urlPathEqualTo("/cgi-bin/externalcontact/get_groupmsg_list_v2")));
  }

  @Test
  void connectionRefusedIsRetriedLikeABusyAnswer() throws Exception {
    int port = wecom.port();
    wecom.stop();
    Instant now = clock.instant();
    outbox.enqueue(OutboxRequest.toPatient("bc", "sop.personal", BROADCAST, broadcastBody("wm1", "你好"), "wm1", false,
        now, now.plusSeconds(3600)));
    TestServer.awaitUntil(() -> outbox.repository().findByKey("bc").orElseThrow().attempts() == 1 && "pending".equals(status("bc")));
    assertThat(outbox.repository().findByKey("bc").orElseThrow().outcomeUnknown()).isFalse();

    wecom = new WireMockServer(com.github.tomakehurst.wiremock.core.WireMockConfiguration.options().port(port)
        .bindAddress("127.0.0.1"));
    wecom.start();
    wecom.stubFor(com.github.tomakehurst.wiremock.client.WireMock.any(
        com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching("/cgi-bin/.*"))
        .willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\",\"access_token\":\"T\",\"expires_in\":7200}")));
    clock.advance(Duration.ofSeconds(5));
    worker.wakeUp();
    awaitStatus("bc", "sent");
    wecom.verify(0, postRequestedFor(urlPathEqualTo("/cgi-bin/externalcontact/get_groupmsg_list_v2")));
  }

  @Test
  void welcomeWhoseAnswerWasLostIsConfirmedBy41051OnItsRetry() {
    // The first attempt reached WeCom (the welcome went out) but its answer never came back.
    wecom.stubFor(post(urlPathEqualTo(SEND)).atPriority(1).inScenario("lost").whenScenarioStateIs(Scenario.STARTED)
        .willSetStateTo("used").willReturn(okJson("{\"errcode\":0}")
            .withFixedDelay((int) PooledHttpClientBuilder.READ_TIMEOUT.toMillis() + 1_000)));
    wecom.stubFor(post(urlPathEqualTo(SEND)).atPriority(1).inScenario("lost").whenScenarioStateIs("used")
        .willReturn(TestServer.errcode(41051, "welcome code used")));

    outbox.enqueue(welcome("w9", "C9"));
    TestServer.awaitUntil(() -> outbox.repository().findByKey("w9").orElseThrow().outcomeUnknown());
    clock.advance(Duration.ofSeconds(3));
    worker.wakeUp();

    awaitStatus("w9", "sent");
    assertThat(outbox.repository().findByKey("w9").orElseThrow().response().path("errcode").asInt()).isEqualTo(41051);
  }

  @Test
  void welcomeStillUnknownAtItsDeadlineIsAskedAboutOnceWeComRecovers() {
    wecom.stubFor(post(urlPathEqualTo(SEND)).atPriority(1).willReturn(aResponse().withStatus(504)));
    outbox.enqueue(welcome("w10", "C10"));
    TestServer.awaitUntil(() -> outbox.repository().findByKey("w10").orElseThrow().outcomeUnknown());
    // WeCom comes back after the code's window: the code was used (by our first attempt).
    wecom.stubFor(post(urlPathEqualTo(SEND)).atPriority(1).willReturn(TestServer.errcode(41051, "welcome code used")));
    clock.advance(Duration.ofSeconds(40));
    worker.wakeUp();

    awaitStatus("w10", "sent");
  }

  private ObjectNode broadcastBody(String externalUserId, String text) {
    ObjectNode body = json.createObjectNode().put("chat_type", "single").put("sender", "assistant-lily");
    body.putArray("external_userid").add(externalUserId);
    body.putObject("text").put("content", text);
    return body;
  }

  @Test
  void outageLongerThanTheDeadlineExpiresTheActionInsteadOfSendingLate() {
    wecom.stubFor(post(urlPathEqualTo(SEND)).atPriority(1).willReturn(TestServer.errcode(-1, "system busy")));

    outbox.enqueue(welcome("late", "C5"));
    TestServer.awaitUntil(() -> "pending".equals(status("late"))
        && Integer.valueOf(-1).equals(outbox.repository().findByKey("late").orElseThrow().errcode()));
    // WeCom comes back, but only after the welcome code's 20 s are over.
    wecom.stubFor(post(urlPathEqualTo(SEND)).atPriority(1).willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\"}")));
    clock.advance(Duration.ofSeconds(30));
    worker.wakeUp();

    awaitStatus("late", "expired");
    assertThat(outbox.repository().findByKey("late").orElseThrow().errcode()).isEqualTo(-1);
    wecom.verify(1, postRequestedFor(urlPathEqualTo(SEND)));
  }

  @Test
  void guardVetoSkipsTheSend() throws Exception {
    crash();
    db = Database.open(dataDir);
    client = new WxJavaWeComClient(new WeComCredentials(TestServer.CORP_ID, "1000002", "s", TestServer.TOKEN,
        TestServer.AES_KEY, "http://127.0.0.1:" + wecom.port(), false), db.jdbi(), clock, json, new SimpleMeterRegistry());
    outbox = new Outbox(db, json, clock);
    OutboxGuard optedOut = item -> "wm1".equals(item.externalUserId()) ? Optional.of("opted out") : Optional.empty();
    worker = new OutboxWorker(outbox, node, client, List.of(optedOut), List.of(), List.of(), clock, SETTINGS,
        new SimpleMeterRegistry());

    outbox.enqueue(welcome("g1", "C6"));

    awaitStatus("g1", "skipped");
    wecom.verify(0, postRequestedFor(urlPathEqualTo(SEND)));
  }
}
