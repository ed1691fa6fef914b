package app.liuliang.callback;

import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.app.Settings;
import app.liuliang.sandbox.CallbackSimulator;
import app.liuliang.testing.TestServer;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The callback endpoint over real HTTP: what is accepted, what is refused, and what is stored. */
class CallbackIngressIT {

  private static TestServer server;
  private static InboxRepository inbox;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.builder().start();
    inbox = new InboxRepository(server.wiring().foundation().database().jdbi());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @BeforeEach
  void emptyInbox() {
    server.wiring().foundation().database().jdbi().useHandle(h -> h.execute("DELETE FROM inbox"));
    server.wecom().resetRequests();
  }

  private static String addContact(String externalUserId, String code) {
    return CallbackSimulator.addExternalContact(TestServer.CORP_ID, "assistant-lily", externalUserId, "meituan", code,
        server.clock().millis() / 1000);
  }

  private static long stored() {
    return inbox.countByStatus().values().stream().mapToLong(Long::longValue).sum();
  }

  private static HttpResponse<String> postRaw(String query, String body) throws Exception {
    return server.http().send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/wecom/callback?" + query))
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void signedCallbackIsStoredBeforeItIsAcknowledged() throws Exception {
    HttpResponse<String> reply = server.postCallback(addContact("wmA", "CODE1"));

    assertThat(reply.statusCode()).isEqualTo(200);
    assertThat(reply.body()).isEqualTo("success");
    // The ack means durable: the row is there the moment the reply is.
    assertThat(stored()).isEqualTo(1);
    assertThat(inbox.recent(1).get(0).kind()).isEqualTo("event/change_external_contact/add_external_contact");
  }

  @Test
  void callbackThatCannotBeStoredIsAnswered503SoWeComSendsItAgain() throws Exception {
    var jdbi = server.wiring().foundation().database().jdbi();
    jdbi.useHandle(h -> h.execute("CREATE TRIGGER inbox_full BEFORE INSERT ON inbox BEGIN SELECT RAISE(ABORT, 'disk full'); END"));
    try {
      HttpResponse<String> reply = server.postCallback(addContact("wmFull", "CODE-FULL"));

      assertThat(reply.statusCode()).isEqualTo(503);
      assertThat(reply.body()).isEmpty();
      assertThat(stored()).isZero();
    } finally {
      jdbi.useHandle(h -> h.execute("DROP TRIGGER inbox_full"));
    }
    // WeCom's retry, once the store takes writes again, is stored and acknowledged.
    assertThat(server.postCallback(addContact("wmFull", "CODE-FULL")).statusCode()).isEqualTo(200);
    assertThat(stored()).isEqualTo(1);
  }

  @Test
  void sameCallbackThreeTimesIsStoredOnce() throws Exception {
    String xml = addContact("wmB", "CODE2");

    for (int i = 0; i < 3; i++) {
      assertThat(server.postCallback(xml).statusCode()).isEqualTo(200);
    }

    assertThat(stored()).isEqualTo(1);
  }

  @Test
  void twoEventsInTheSameSecondWithDifferentWelcomeCodesAreBothKept() throws Exception {
    server.postCallback(addContact("wmC", "CODE-A"));
    server.postCallback(addContact("wmC", "CODE-B"));

    assertThat(stored()).isEqualTo(2);
  }

  @Test
  void forgedSignatureIsRefusedAndLeavesNoTrace() throws Exception {
    CallbackSimulator.SignedCallback signed = server.simulator().sign(addContact("wmD", "CODE3"));
    String forged = signed.query().replaceFirst("msg_signature=[0-9a-f]{8}", "msg_signature=00000000");

    assertThat(postRaw(forged, signed.body()).statusCode()).isEqualTo(401);
    assertThat(stored()).isZero();
  }

  @Test
  void staleTimestampIsRefusedAsReplay() throws Exception {
    String old = String.valueOf(server.clock().millis() / 1000 - 301);
    CallbackSimulator.SignedCallback signed = server.simulator().sign(addContact("wmE", "CODE4"), old);

    assertThat(postRaw(signed.query(), signed.body()).statusCode()).isEqualTo(403);
    assertThat(stored()).isZero();
  }

  @Test
  void messageSealedForAnotherCorpIsRefused() throws Exception {
    CallbackSimulator otherCorp = new CallbackSimulator(
        new CallbackCrypto(TestServer.TOKEN, TestServer.AES_KEY, "wwsomebodyelse"), server.clock());
    CallbackSimulator.SignedCallback signed = otherCorp.sign(addContact("wmF", "CODE5"));

    assertThat(postRaw(signed.query(), signed.body()).statusCode()).isEqualTo(403);
    assertThat(stored()).isZero();
  }

  @Test
  void externalEntityInsideTheEncryptedMessageIsRefused() throws Exception {
    String xxe = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
        + "<xml><ToUserName>" + TestServer.CORP_ID + "</ToUserName><MsgType>text</MsgType><Content>&e;</Content></xml>";

    assertThat(server.postCallback(xxe).statusCode()).isEqualTo(400);
    assertThat(stored()).isZero();
  }

  @Test
  void billionLaughsInTheEnvelopeIsRefused() throws Exception {
    CallbackSimulator.SignedCallback signed = server.simulator().sign(addContact("wmG", "CODE6"));
    String bomb = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;\">]>"
        + signed.body().replace("<xml>", "<xml><Bomb>&lol2;</Bomb>");

    assertThat(postRaw(signed.query(), bomb).statusCode()).isEqualTo(400);
    assertThat(stored()).isZero();
  }

  @Test
  void oversizedBodyIsRefusedWith413() throws Exception {
    String huge = "<xml><Encrypt>" + "A".repeat(70 * 1024) + "</Encrypt></xml>";

    assertThat(postRaw("msg_signature=x&timestamp=1&nonce=1", huge).statusCode()).isEqualTo(413);
    assertThat(stored()).isZero();
  }

  @Test
  void malformedXmlIsRefused() throws Exception {
    assertThat(postRaw("msg_signature=x&timestamp=1&nonce=1", "<xml><Encrypt>abc</xml>").statusCode()).isEqualTo(400);
    assertThat(server.postCallback("<xml><MsgType>text</MsgType>").statusCode()).isEqualTo(400);
    assertThat(stored()).isZero();
  }

  @Test
  void refusedCallbacksSendNothingToWeCom() throws Exception {
    CallbackSimulator.SignedCallback signed = server.simulator().sign(addContact("wmH", "CODE7"));
    postRaw(signed.query().replaceFirst("timestamp=\\d+", "timestamp=1"), signed.body());

    assertThat(server.wecom().getAllServeEvents()).isEmpty();
  }

  @Test
  void urlVerificationAnswersThePublishedSampleVector() throws Exception {
    try (TestServer sample = TestServer.builder().env(Settings.CORP_ID, "wx5823bf96d3bd56c7").wecom(server.wecom()).start()) {
      HttpResponse<String> reply = sample.get("/wecom/callback?msg_signature=5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3"
          + "&timestamp=1409659589&nonce=263014780&echostr="
          + java.net.URLEncoder.encode("P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==", StandardCharsets.UTF_8));

      assertThat(reply.statusCode()).isEqualTo(200);
      assertThat(reply.body()).isEqualTo("1616140317555161061");
    }
  }

  @Test
  void urlVerificationWithABadSignatureIs401WithNoDetail() throws Exception {
    HttpResponse<String> reply = server.get("/wecom/callback?msg_signature=bad&timestamp=1&nonce=2&echostr=abc");

    assertThat(reply.statusCode()).isEqualTo(401);
    assertThat(reply.body()).isEmpty();
  }

  @Test
  void healthIsUpOnceTheServerAcceptsCallbacks() throws Exception {
    assertThat(server.get("/health").statusCode()).isEqualTo(200);
  }
}
