package app.liuliang.message;

import static app.liuliang.message.KfScenario.KF;
import static app.liuliang.message.KfScenario.WEDNESDAY_10;
import static app.liuliang.message.KfScenario.awaitSent;
import static app.liuliang.message.KfScenario.callback;
import static app.liuliang.message.KfScenario.count;
import static app.liuliang.message.KfScenario.exec;
import static app.liuliang.message.KfScenario.jdbi;
import static app.liuliang.message.KfScenario.one;
import static app.liuliang.message.KfScenario.page;
import static app.liuliang.message.KfScenario.patientWrites;
import static app.liuliang.message.KfScenario.sent;
import static app.liuliang.message.KfScenario.text;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.handoff.KfOutbox;
import app.liuliang.sandbox.CallbackSimulator;
import app.liuliang.sandbox.KfStubs;
import app.liuliang.testing.TestServer;
import app.liuliang.wecom.OutboxRequest;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/** Patient messages end to end: signed kf callback → sync_msg (WireMock) → store → answers and actions. */
class PatientMessagesIT {

  @Test
  void cursorPagingAcrossRestartHandlesEveryMessageOnce() throws Exception {
    try (TestServer server = KfScenario.server(WEDNESDAY_10)) {
      page(server, null, "c1", true, List.of(text("a1", "wmP1", "你好"), text("a2", "wmP2", "你们地址在哪")));
      page(server, "c1", "c2", false, List.of(text("a3", "wmP3", "几点开门")));

      callback(server);
      TestServer.awaitUntil(() -> count(jdbi(server), "SELECT COUNT(*) FROM messages WHERE direction = 'in' AND handled_at IS NOT NULL") == 3);
      assertThat(one(jdbi(server), "SELECT cursor FROM kf_cursors WHERE open_kfid = '" + KF + "'")).isEqualTo("c2");

      server.restart();
      page(server, "c2", "c3", false, List.of(text("a3", "wmP3", "几点开门"), text("a4", "wmP4", "停车方便吗")));
      callback(server);
      TestServer.awaitUntil(() -> KfScenario.handled(jdbi(server), "a4"));

      assertThat(count(jdbi(server), "SELECT COUNT(*) FROM messages WHERE direction = 'in'")).isEqualTo(4);
      assertThat(one(jdbi(server), "SELECT cursor FROM kf_cursors WHERE open_kfid = '" + KF + "'")).isEqualTo("c3");
      server.wecom().verify(1, postRequestedFor(urlPathEqualTo("/cgi-bin/kf/sync_msg"))
          .withRequestBody(matchingJsonPath("$.cursor", equalTo("c2"))));
      awaitSent(server, KfOutbox.SEND_MSG, 4);
      assertThat(sent(server, KfOutbox.SEND_MSG)).hasSize(4);
    }
  }

  @Test
  void sameMsgidTwiceIsHandledOnce() throws Exception {
    try (TestServer server = KfScenario.server(WEDNESDAY_10)) {
      page(server, null, "", false, List.of(text("dup1", "wmP1", "你们几点开门"), text("dup1", "wmP1", "你们几点开门")));

      callback(server);
      callback(server);
      TestServer.awaitUntil(() -> count(jdbi(server), "SELECT COUNT(*) FROM inbox WHERE status = 'done'") == 2);
      awaitSent(server, KfOutbox.SEND_MSG, 1);

      assertThat(count(jdbi(server), "SELECT COUNT(*) FROM messages WHERE msgid = 'dup1'")).isEqualTo(1);
      assertThat(count(jdbi(server), "SELECT COUNT(*) FROM outbox WHERE purpose = 'message.faq'")).isEqualTo(1);
      assertThat(sent(server, KfOutbox.SEND_MSG)).hasSize(1);
    }
  }

  @Test
  void faqHitIsAnsweredAtOnceWithTheApprovedText() throws Exception {
    try (TestServer server = KfScenario.server(WEDNESDAY_10)) {
      patientWrites(server, "wmFaq", "请问你们营业时间是几点到几点？");
      awaitSent(server, KfOutbox.SEND_MSG, 1);

      JsonNode reply = sent(server, KfOutbox.SEND_MSG).get(0);
      assertThat(reply.path("touser").asText()).isEqualTo("wmFaq");
      assertThat(reply.path("open_kfid").asText()).isEqualTo(KF);
      assertThat(reply.path("msgid").asText()).startsWith("ll").hasSizeLessThanOrEqualTo(32);
      assertThat(reply.path("text").path("content").asText()).startsWith("门诊营业时间是每天 09:00-21:00");
      assertThat(count(jdbi(server), "SELECT COUNT(*) FROM handoffs")).isZero();
      assertThat(count(jdbi(server), "SELECT COUNT(*) FROM messages WHERE external_userid = 'wmFaq' AND direction = 'out'"))
          .isEqualTo(1);
      assertThat(one(jdbi(server), "SELECT channel FROM contacts WHERE external_userid = 'wmFaq'")).isEqualTo("kf");
    }
  }

  @Test
  void intentTagsTheContactAndRaisesItsLayer() throws Exception {
    try (TestServer server = KfScenario.server(WEDNESDAY_10)) {
      Jdbi jdbi = jdbi(server);
      exec(jdbi, "INSERT INTO contacts (external_userid, name, channel, added_at, updated_at) VALUES ('wmImp', '李女士', 'meituan', 0, 0)");
      exec(jdbi, "INSERT INTO contact_follows (external_userid, userid, added_at) VALUES ('wmImp', 'assistant-lily', 0)");

      patientWrites(server, "wmImp", "想了解一下种植牙多少钱");
      awaitSent(server, "/cgi-bin/externalcontact/mark_tag", 3);
      awaitSent(server, KfOutbox.SEND_MSG, 1);

      assertThat(one(jdbi, "SELECT layer FROM contacts WHERE external_userid = 'wmImp'")).isEqualTo("intent");
      assertThat(count(jdbi, "SELECT COUNT(*) FROM layer_changes WHERE external_userid = 'wmImp'")).isEqualTo(2);
      assertThat(count(jdbi, "SELECT COUNT(*) FROM contact_tags WHERE external_userid = 'wmImp' AND tag_name = '需求-种植'"))
          .isEqualTo(1);
      assertThat(sent(server, "/cgi-bin/externalcontact/mark_tag"))
          .anySatisfy(b -> assertThat(b.path("add_tag").toString()).contains("tag-需求-种植"))
          .allSatisfy(b -> assertThat(b.path("userid").asText()).isEqualTo("assistant-lily"));
      assertThat(sent(server, KfOutbox.SEND_MSG).get(0).path("text").path("content").asText()).contains("种植牙单颗");
      assertThat(one(jdbi, "SELECT intent FROM messages WHERE external_userid = 'wmImp' AND direction = 'in'"))
          .isEqualTo("implant,price,faq:price");
    }
  }

  @Test
  void optedOutContactGetsNoScheduledSendButResumeUndoesIt() throws Exception {
    try (TestServer server = KfScenario.server(WEDNESDAY_10)) {
      Jdbi jdbi = jdbi(server);
      var outbox = server.wiring().foundation().outbox();
      var now = server.clock().instant();
      outbox.enqueue(OutboxRequest.toPatient("sop:later", "sop.test", "/cgi-bin/externalcontact/add_msg_template",
          KfScenario.JSON.createObjectNode(), "wmOut", false, now.plus(Duration.ofHours(1)), now.plus(Duration.ofDays(1))));

      patientWrites(server, "wmOut", "TD");
      patientWrites(server, "wmOut", "退订，不要再发了");

      assertThat(one(jdbi, "SELECT opted_out FROM contacts WHERE external_userid = 'wmOut'")).isEqualTo("1");
      assertThat(one(jdbi, "SELECT status FROM outbox WHERE idem_key = 'sop:later'")).isEqualTo("cancelled");
      assertThat(count(jdbi, "SELECT COUNT(*) FROM contact_tags WHERE external_userid = 'wmOut' AND tag_name = '已退订'"))
          .isEqualTo(1);
      outbox.enqueue(OutboxRequest.toPatient("sop:next-week", "sop.test", "/cgi-bin/externalcontact/add_msg_template",
          KfScenario.JSON.createObjectNode(), "wmOut", false, server.clock().instant(), now.plus(Duration.ofDays(1))));
      TestServer.awaitUntil(() -> "skipped".equals(one(jdbi, "SELECT status FROM outbox WHERE idem_key = 'sop:next-week'")));
      awaitSent(server, KfOutbox.SEND_MSG, 1);
      assertThat(count(jdbi, "SELECT COUNT(*) FROM outbox WHERE purpose = 'message.opt_out'")).isEqualTo(1);
      server.wecom().verify(0, postRequestedFor(urlPathEqualTo("/cgi-bin/externalcontact/add_msg_template")));

      patientWrites(server, "wmOut", "恢复订阅");
      assertThat(one(jdbi, "SELECT opted_out FROM contacts WHERE external_userid = 'wmOut'")).isEqualTo("0");
      assertThat(count(jdbi, "SELECT COUNT(*) FROM contact_tags WHERE external_userid = 'wmOut' AND tag_name = '已退订'"))
          .isZero();
    }
  }

  @Test
  void optingOutAndBackInTagsAndUntagsEveryFollower() throws Exception {
    try (TestServer server = KfScenario.server(WEDNESDAY_10)) {
      Jdbi jdbi = jdbi(server);
      exec(jdbi, "INSERT INTO contacts (external_userid, name, channel, added_at, updated_at) VALUES ('wmTwo', '周女士', 'meituan', 0, 0)");
      exec(jdbi, "INSERT INTO contact_follows (external_userid, userid, added_at) VALUES ('wmTwo', 'assistant-lily', 0), "
          + "('wmTwo', 'dr-wang', 1)");

      patientWrites(server, "wmTwo", "TD");
      TestServer.awaitUntil(() -> sent(server, "/cgi-bin/externalcontact/mark_tag").stream()
          .filter(b -> b.path("add_tag").toString().contains("已退订")).count() == 2);
      patientWrites(server, "wmTwo", "恢复订阅");
      TestServer.awaitUntil(() -> sent(server, "/cgi-bin/externalcontact/mark_tag").stream()
          .filter(b -> b.path("remove_tag").toString().contains("已退订")).count() == 2);

      assertThat(sent(server, "/cgi-bin/externalcontact/mark_tag"))
          .filteredOn(b -> b.path("remove_tag").toString().contains("已退订"))
          .extracting(b -> b.path("userid").asText()).containsExactlyInAnyOrder("assistant-lily", "dr-wang");
      assertThat(count(jdbi, "SELECT COUNT(*) FROM contact_tags WHERE external_userid = 'wmTwo' AND tag_name = '已退订'"))
          .isZero();
    }
  }

  @Test
  void aPatientWhoAsksToReferFriendsGetsTheirCodeAndItsQrButAKfOnlyCustomerIsAnsweredAsUsual() throws Exception {
    try (TestServer server = KfScenario.server(WEDNESDAY_10)) {
      Jdbi jdbi = jdbi(server);
      var wecom = server.wecom();
      wecom.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(
          com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo("/cgi-bin/externalcontact/add_contact_way"))
          .atPriority(1).willReturn(com.github.tomakehurst.wiremock.client.WireMock.okJson(
              "{\"errcode\":0,\"errmsg\":\"ok\",\"config_id\":\"cwRef\",\"qr_code\":\"http://127.0.0.1:" + wecom.port()
                  + "/qr/ref.png\"}")));
      wecom.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(
          com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo("/qr/ref.png")).atPriority(1)
          .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(200)
              .withHeader("Content-Type", "image/png").withBody(app.liuliang.sandbox.ContactWayStubs.qrPng())));
      wecom.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(
          com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo("/cgi-bin/media/upload")).atPriority(1)
          .willReturn(com.github.tomakehurst.wiremock.client.WireMock.okJson(
              "{\"errcode\":0,\"errmsg\":\"ok\",\"type\":\"image\",\"media_id\":\"MEDIA-QR\",\"created_at\":\"1\"}")));
      exec(jdbi, "INSERT INTO contacts (external_userid, name, channel, layer, referral_code, added_at, updated_at) "
          + "VALUES ('wmFan', '周女士', 'meituan', 'ordered', 'FAN001', 0, 0)");
      exec(jdbi, "INSERT INTO contact_follows (external_userid, userid, added_at) VALUES ('wmFan', 'assistant-lily', 0)");

      patientWrites(server, "wmFan", "我想推荐朋友来，有推荐码吗");
      awaitSent(server, KfOutbox.SEND_MSG, 2);

      List<JsonNode> replies = sent(server, KfOutbox.SEND_MSG);
      assertThat(replies).filteredOn(r -> r.path("msgtype").asText().equals("text")).singleElement()
          .satisfies(r -> assertThat(r.path("text").path("content").asText()).contains("FAN001").contains("二维码"));
      assertThat(replies).filteredOn(r -> r.path("msgtype").asText().equals("image")).singleElement()
          .satisfies(r -> assertThat(r.path("image").path("media_id").asText()).isEqualTo("MEDIA-QR"));
      assertThat(one(jdbi, "SELECT state FROM referral_codes WHERE external_userid = 'wmFan'")).isEqualTo("ref:FAN001");

      // Someone who only ever wrote to kf has no staff member behind a code: no code, the usual flow.
      patientWrites(server, "wmKfOnly", "可以分享给朋友吗");
      TestServer.awaitUntil(() -> KfScenario.count(jdbi, "SELECT COUNT(*) FROM messages WHERE external_userid = 'wmKfOnly' "
          + "AND direction = 'in' AND handled_at IS NOT NULL") == 1);
      assertThat(count(jdbi, "SELECT COUNT(*) FROM referral_codes WHERE external_userid = 'wmKfOnly'")).isZero();
    }
  }

  @Test
  void malformedKfEntriesAreKeptAsRejectsAndTheRestIsHandled() throws Exception {
    try (TestServer server = KfScenario.server(WEDNESDAY_10)) {
      var noMsgid = KfScenario.JSON.createObjectNode().put("origin", 3).put("external_userid", "wmX");
      var oddOrigin = text("odd1", "wmX", "hi").put("origin", 9);
      var noCustomer = text("nocust", "", "hi");
      page(server, null, "c1", false, List.of(noMsgid, oddOrigin, noCustomer, text("good1", "wmX", "地址在哪")));

      callback(server);
      TestServer.awaitUntil(() -> KfScenario.handled(jdbi(server), "good1"));

      assertThat(count(jdbi(server), "SELECT COUNT(*) FROM kf_rejects")).isEqualTo(3);
      assertThat(one(jdbi(server), "SELECT cursor FROM kf_cursors")).isEqualTo("c1");
    }
  }

  @Test
  void callbackWithoutTokenIsDeadLetteredNotRetried() throws Exception {
    try (TestServer server = KfScenario.server(WEDNESDAY_10)) {
      server.postCallback("<xml><ToUserName><![CDATA[" + TestServer.CORP_ID + "]]></ToUserName><CreateTime>1</CreateTime>"
          + "<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[kf_msg_or_event]]></Event>"
          + "<OpenKfId><![CDATA[" + KF + "]]></OpenKfId></xml>");

      TestServer.awaitUntil(() -> count(jdbi(server), "SELECT COUNT(*) FROM inbox WHERE status NOT IN ('pending', 'working')") == 1);
      assertThat(one(jdbi(server), "SELECT last_error FROM inbox")).contains("without Token");
      server.wecom().verify(0, postRequestedFor(urlPathEqualTo("/cgi-bin/kf/sync_msg")));
    }
  }

  @Test
  void weComErrorOnSyncKeepsTheCursorAndTheRetryLosesNothing() throws Exception {
    try (TestServer server = KfScenario.server(WEDNESDAY_10)) {
      page(server, null, "c1", true, List.of(text("e1", "wmE", "地址在哪")));
      server.wecom().stubFor(post(urlPathEqualTo("/cgi-bin/kf/sync_msg")).atPriority(1)
          .withRequestBody(matchingJsonPath("$.cursor", equalTo("c1")))
          .inScenario("busy").whenScenarioStateIs(com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED)
          .willReturn(TestServer.errcode(45009, "api freq out of limit")).willSetStateTo("recovered"));
      page(server, "c1", "c2", false, List.of(text("e2", "wmE", "停车方便吗")));

      callback(server);
      TestServer.awaitUntil(() -> {
        server.clock().advance(Duration.ofSeconds(5));
        return KfScenario.handled(jdbi(server), "e2");
      });

      assertThat(KfScenario.handled(jdbi(server), "e1")).isTrue();
      assertThat(one(jdbi(server), "SELECT cursor FROM kf_cursors")).isEqualTo("c2");
      assertThat(count(jdbi(server), "SELECT COUNT(*) FROM messages WHERE direction = 'in'")).isEqualTo(2);
    }
  }

  @Test
  void refusedReplyIsRecordedWithItsErrcode() throws Exception {
    try (TestServer server = KfScenario.server(WEDNESDAY_10)) {
      server.wecom().stubFor(post(urlPathEqualTo(KfOutbox.SEND_MSG)).atPriority(1)
          .willReturn(TestServer.errcode(95018, "send msg not allowed")));

      patientWrites(server, "wmR", "地址在哪");

      TestServer.awaitUntil(() -> "failed".equals(one(jdbi(server), "SELECT status FROM outbox WHERE purpose = 'message.faq'")));
      assertThat(one(jdbi(server), "SELECT errcode FROM outbox WHERE purpose = 'message.faq'")).isEqualTo("95018");
      assertThat(count(jdbi(server), "SELECT COUNT(*) FROM messages WHERE external_userid = 'wmR' AND direction = 'in'"))
          .isEqualTo(1);
    }
  }

  @Test
  void enterSessionWithWelcomeCodeGetsTheGreeting() throws Exception {
    try (TestServer server = KfScenario.server(WEDNESDAY_10)) {
      page(server, null, "", false, List.of(KfStubs.enterSession("ev1", "wmNew", KF, "WELCOME-CODE-1", 1_764_036_000L)));

      callback(server);
      awaitSent(server, KfOutbox.SEND_ON_EVENT, 1);

      JsonNode greeting = sent(server, KfOutbox.SEND_ON_EVENT).get(0);
      assertThat(greeting.path("code").asText()).isEqualTo("WELCOME-CODE-1");
      assertThat(greeting.path("text").path("content").asText()).startsWith("您好，我是小美");
    }
  }

  @Test
  void staffTextGetsHelp() throws Exception {
    try (TestServer server = KfScenario.server(WEDNESDAY_10)) {
      server.postCallback(CallbackSimulator.staffText(TestServer.CORP_ID, "dr-wang", "你好", 1001L, 1L));
      awaitSent(server, "/cgi-bin/message/send", 1);

      JsonNode reply = sent(server, "/cgi-bin/message/send").get(0);
      assertThat(reply.path("touser").asText()).isEqualTo("dr-wang");
      assertThat(reply.path("text").path("content").asText()).contains("/handoffs");
    }
  }
}
