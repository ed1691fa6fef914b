package app.liuliang.message;

import static app.liuliang.message.KfScenario.KF;
import static app.liuliang.message.KfScenario.WEDNESDAY_10;
import static app.liuliang.message.KfScenario.awaitSent;
import static app.liuliang.message.KfScenario.count;
import static app.liuliang.message.KfScenario.exec;
import static app.liuliang.message.KfScenario.feature;
import static app.liuliang.message.KfScenario.jdbi;
import static app.liuliang.message.KfScenario.one;
import static app.liuliang.message.KfScenario.patientWrites;
import static app.liuliang.message.KfScenario.sent;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.handoff.KfOutbox;
import app.liuliang.sandbox.CallbackSimulator;
import app.liuliang.sandbox.KfStubs;
import app.liuliang.testing.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hand-offs end to end: patient message → doctor's card, session transfer, patient line; timing on the test clock. */
class HandoffIT {

  private static final String SEND = "/cgi-bin/message/send";

  @Test
  void painGoesToThePatientsOwnDoctor() throws Exception {
    try (TestServer server = KfScenario.server(WEDNESDAY_10)) {
      exec(jdbi(server), "INSERT INTO contacts (external_userid, name, layer, added_at, updated_at) VALUES ('wmOwn', '张先生', 'potential', 0, 0)");
      exec(jdbi(server), "INSERT INTO contact_follows (external_userid, userid, added_at) VALUES ('wmOwn', 'dr-chen', 0)");

      patientWrites(server, "wmOwn", "昨天种的牙今天牙龈出血还有点肿");
      awaitSent(server, SEND, 1);
      awaitSent(server, KfOutbox.TRANS, 1);
      awaitSent(server, KfOutbox.SEND_MSG, 1);

      JsonNode card = sent(server, SEND).get(0);
      assertThat(card.path("touser").asText()).isEqualTo("dr-chen");
      assertThat(card.path("enable_duplicate_check").asInt()).isEqualTo(1);
      JsonNode tc = card.path("template_card");
      assertThat(tc.path("card_type").asText()).isEqualTo("button_interaction");
      assertThat(tc.path("task_id").asText()).isEqualTo("ho-1-0");
      assertThat(tc.path("main_title").path("title").asText()).contains("张先生");
      assertThat(tc.path("sub_title_text").asText()).contains("牙龈出血");
      assertThat(tc.path("horizontal_content_list").toString()).contains("意向").contains("疼痛急症");
      assertThat(tc.path("button_list").findValuesAsText("text")).containsExactly("接手", "转给助理");
      JsonNode trans = sent(server, KfOutbox.TRANS).get(0);
      assertThat(trans.path("service_state").asInt()).isEqualTo(3);
      assertThat(trans.path("servicer_userid").asText()).isEqualTo("dr-chen");
      assertThat(trans.path("open_kfid").asText()).isEqualTo(KF);
      assertThat(sent(server, KfOutbox.SEND_MSG).get(0).path("text").path("content").asText()).startsWith("陈医生");
      assertThat(one(jdbi(server), "SELECT state FROM handoffs")).isEqualTo("notified");
    }
  }

  @Test
  void orthoQuestionWithoutAnAnswerGoesToTheOrthoDoctor() throws Exception {
    try (TestServer server = KfScenario.server(WEDNESDAY_10)) {
      patientWrites(server, "wmOrtho", "我这种牙齿不齐适合做隐形的吗");
      awaitSent(server, SEND, 1);

      assertThat(sent(server, SEND).get(0).path("touser").asText()).isEqualTo("dr-chen");
      assertThat(one(jdbi(server), "SELECT reason FROM handoffs")).isEqualTo("intent");
    }
  }

  @Test
  void questionNobodyMatchedGoesToTheDoctorOnDuty() throws Exception {
    try (TestServer server = KfScenario.server(WEDNESDAY_10)) {
      patientWrites(server, "wmDuty", "上次做的那个还要再来吗");
      awaitSent(server, SEND, 1);

      assertThat(sent(server, SEND).get(0).path("touser").asText()).isEqualTo("dr-wang");
      assertThat(one(jdbi(server), "SELECT reason FROM handoffs")).isEqualTo("no_answer");
    }
  }

  @Test
  void outOfHoursThePatientGetsTheHoursAndTheDoctorIsToldAtOpening() throws Exception {
    // Wednesday 22:00 in Shanghai: 王医生 works 09:00-18:00.
    try (TestServer server = KfScenario.server(Instant.parse("2026-11-25T14:00:00Z"))) {
      patientWrites(server, "wmNight", "牙疼得睡不着");
      awaitSent(server, KfOutbox.SEND_MSG, 1);

      assertThat(sent(server, KfOutbox.SEND_MSG).get(0).path("text").path("content").asText())
          .contains("周一至周六 09:00-18:00");
      assertThat(one(jdbi(server), "SELECT state FROM handoffs")).isEqualTo("open");
      assertThat(one(jdbi(server), "SELECT notify_at FROM handoffs"))
          .isEqualTo(String.valueOf(Instant.parse("2026-11-26T01:00:00Z").toEpochMilli()));
      assertThat(feature(server).handoffs().runDue()).isZero();
      assertThat(sent(server, SEND)).isEmpty();

      server.clock().set(Instant.parse("2026-11-26T01:00:00Z"));
      assertThat(feature(server).handoffs().runDue()).isEqualTo(1);
      awaitSent(server, SEND, 1);

      assertThat(sent(server, SEND).get(0).path("touser").asText()).isEqualTo("dr-wang");
      assertThat(one(jdbi(server), "SELECT state FROM handoffs")).isEqualTo("notified");
    }
  }

  @Test
  void unclaimedHandoffGoesToTheNextDoctorThenTheAssistant() throws Exception {
    try (TestServer server = KfScenario.server(WEDNESDAY_10)) {
      patientWrites(server, "wmWait", "刷牙一直出血");
      awaitSent(server, SEND, 1);
      var handoffs = feature(server).handoffs();

      server.clock().advance(Duration.ofMinutes(9));
      assertThat(handoffs.runDue()).isZero();
      server.clock().advance(Duration.ofMinutes(2));
      assertThat(handoffs.runDue()).isEqualTo(1);
      awaitSent(server, SEND, 2);
      assertThat(sent(server, SEND).get(1).path("touser").asText()).isEqualTo("dr-chen");
      assertThat(sent(server, SEND).get(1).path("template_card").path("task_id").asText()).isEqualTo("ho-1-1");

      server.clock().advance(Duration.ofMinutes(11));
      assertThat(handoffs.runDue()).isEqualTo(1);
      awaitSent(server, SEND, 3);

      assertThat(sent(server, SEND).get(2).path("touser").asText()).isEqualTo("assistant-lily");
      assertThat(one(jdbi(server), "SELECT state FROM handoffs")).isEqualTo("escalated");
      assertThat(one(jdbi(server), "SELECT doctor_userid FROM handoffs")).isEqualTo("assistant-lily");
      awaitSent(server, KfOutbox.TRANS, 3);
      assertThat(handoffs.runDue()).isZero();
    }
  }

  @Test
  void claimClickUpdatesTheCardAndTheHandoff() throws Exception {
    try (TestServer server = KfScenario.server(WEDNESDAY_10)) {
      patientWrites(server, "wmClaim", "牙龈肿了");
      awaitSent(server, SEND, 1);

      server.postCallback(CallbackSimulator.templateCardEvent(TestServer.CORP_ID, "dr-wang", "claim", "ho-1-0", "RC-1", 1L));
      awaitSent(server, "/cgi-bin/message/update_template_card", 1);

      JsonNode update = sent(server, "/cgi-bin/message/update_template_card").get(0);
      assertThat(update.path("response_code").asText()).isEqualTo("RC-1");
      assertThat(update.path("button").path("replace_name").asText()).isEqualTo("已接手");
      assertThat(update.path("userids").get(0).asText()).isEqualTo("dr-wang");
      assertThat(one(jdbi(server), "SELECT state FROM handoffs")).isEqualTo("claimed");
      server.clock().advance(Duration.ofHours(1));
      assertThat(feature(server).handoffs().runDue()).isZero();
    }
  }

  @Test
  void toAssistantClickMovesTheSessionToTheAssistant() throws Exception {
    try (TestServer server = KfScenario.server(WEDNESDAY_10)) {
      patientWrites(server, "wmPass", "我要投诉");
      awaitSent(server, SEND, 1);

      server.postCallback(CallbackSimulator.templateCardEvent(TestServer.CORP_ID, "dr-wang", "to_assistant", "ho-1-0", "RC-2", 1L));
      awaitSent(server, "/cgi-bin/message/update_template_card", 1);
      awaitSent(server, SEND, 2);

      assertThat(sent(server, "/cgi-bin/message/update_template_card").get(0).path("button").path("replace_name").asText())
          .isEqualTo("已转给助理");
      assertThat(sent(server, SEND).get(1).path("touser").asText()).isEqualTo("assistant-lily");
      assertThat(one(jdbi(server), "SELECT state FROM handoffs")).isEqualTo("escalated");
    }
  }

  @Test
  void doctorAsksForTheirOpenHandoffs() throws Exception {
    try (TestServer server = KfScenario.server(WEDNESDAY_10)) {
      exec(jdbi(server), "INSERT INTO contacts (external_userid, name, added_at, updated_at) VALUES ('wmList', '王阿姨', 0, 0)");
      patientWrites(server, "wmList", "牙疼");
      awaitSent(server, SEND, 1);

      server.postCallback(CallbackSimulator.staffText(TestServer.CORP_ID, "dr-wang", "/handoffs", 2002L, 1L));
      awaitSent(server, SEND, 2);

      JsonNode reply = sent(server, SEND).get(1);
      assertThat(reply.path("touser").asText()).isEqualTo("dr-wang");
      assertThat(reply.path("text").path("content").asText()).contains("#1 王阿姨").contains("待接手");
      assertThat(count(jdbi(server), "SELECT COUNT(*) FROM handoffs")).isEqualTo(1);
    }
  }

  @Test
  void whileTheDoctorServesTheSessionTheBotStaysQuietUntilTheSessionEnds() throws Exception {
    try (TestServer server = KfScenario.server(WEDNESDAY_10)) {
      patientWrites(server, "wmBusy", "牙疼");
      awaitSent(server, KfOutbox.SEND_MSG, 1);

      patientWrites(server, "wmBusy", "你们几点开门");
      assertThat(one(jdbi(server), "SELECT intent FROM messages WHERE content = '你们几点开门'")).isEqualTo("with_staff");
      assertThat(count(jdbi(server), "SELECT COUNT(*) FROM outbox WHERE purpose = 'message.faq'")).isZero();
      assertThat(count(jdbi(server), "SELECT COUNT(*) FROM handoffs")).isEqualTo(1);

      var ended = KfScenario.JSON.createObjectNode().put("msgid", "end1").put("send_time", 1_764_036_100L)
          .put("origin", 4).put("msgtype", "event");
      ended.putObject("event").put("event_type", "session_status_change").put("open_kfid", KF)
          .put("external_userid", "wmBusy").put("change_type", 3);
      server.wecom().stubFor(post(urlPathEqualTo("/cgi-bin/kf/sync_msg")).atPriority(3)
          .willReturn(okJson(KfStubs.syncAnswer("", false, List.of(ended)))));
      KfScenario.callback(server);
      TestServer.awaitUntil(() -> KfScenario.handled(jdbi(server), "end1"));
      assertThat(one(jdbi(server), "SELECT state FROM handoffs")).isEqualTo("closed");

      server.wecom().resetRequests();
      patientWrites(server, "wmBusy", "你们几点开门");
      awaitSent(server, KfOutbox.SEND_MSG, 1);
      assertThat(sent(server, KfOutbox.SEND_MSG).get(0).path("text").path("content").asText()).startsWith("门诊营业时间");
    }
  }
}
