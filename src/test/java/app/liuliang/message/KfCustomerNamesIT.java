package app.liuliang.message;

import static app.liuliang.message.KfScenario.WEDNESDAY_10;
import static app.liuliang.message.KfScenario.awaitSent;
import static app.liuliang.message.KfScenario.callback;
import static app.liuliang.message.KfScenario.exec;
import static app.liuliang.message.KfScenario.handled;
import static app.liuliang.message.KfScenario.jdbi;
import static app.liuliang.message.KfScenario.one;
import static app.liuliang.message.KfScenario.page;
import static app.liuliang.message.KfScenario.patientWrites;
import static app.liuliang.message.KfScenario.sent;
import static app.liuliang.message.KfScenario.text;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.handoff.KfOutbox;
import app.liuliang.testing.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * Names of kf customers end to end: a customer we know only by external_userid is named from
 * {@code kf/customer/batchget} before the doctor's card is built; named contacts are not asked; a
 * failing batchget costs the name, never the message.
 */
class KfCustomerNamesIT {

  private static final String BATCHGET = "/cgi-bin/kf/customer/batchget";
  private static final String SEND = "/cgi-bin/message/send";
  /** Matches no FAQ or intent: the doctor on duty (dr-wang) gets a card. */
  private static final String UNANSWERED = "上次做的那个还要再来吗";

  @Test
  void unknownCustomerIsNamedBeforeTheDoctorsCard() throws Exception {
    try (TestServer server = KfScenario.server(WEDNESDAY_10)) {
      batchgetAnswers(server, okJson(customers("wmNew", "张三")));

      patientWrites(server, "wmNew", UNANSWERED);
      awaitSent(server, SEND, 1);

      List<JsonNode> asked = sent(server, BATCHGET);
      assertThat(asked).hasSize(1);
      assertThat(ids(asked.get(0))).containsExactly("wmNew");
      assertThat(asked.get(0).path("need_enter_session_context").asInt(-1)).isZero();
      assertThat(one(jdbi(server), "SELECT name FROM contacts WHERE external_userid = 'wmNew'")).isEqualTo("张三");
      JsonNode card = sent(server, SEND).get(0).path("template_card");
      assertThat(card.path("main_title").path("title").asText()).isEqualTo("患者咨询：张三");

      // Named now: their next message is not asked about again.
      patientWrites(server, "wmNew", "停车方便吗");
      assertThat(sent(server, BATCHGET)).hasSize(1);
    }
  }

  @Test
  void onePageAsksOnceForAllItsUnnamedSendersAndKeepsExistingNames() throws Exception {
    try (TestServer server = KfScenario.server(WEDNESDAY_10)) {
      exec(jdbi(server), "INSERT INTO contacts (external_userid, name, added_at, updated_at) VALUES ('wmKnown', '张先生', 0, 0)");
      exec(jdbi(server), "INSERT INTO contacts (external_userid, name, added_at, updated_at) VALUES ('wmBlank', '', 0, 0)");
      // WeCom answers with a nickname for the named contact too: it must not replace 张先生.
      batchgetAnswers(server, okJson(customers("wmA", "小A", "wmBlank", "小B", "wmKnown", "昵称")));
      page(server, null, "", false, List.of(text("p1", "wmA", "停车方便吗"), text("p2", "wmKnown", "地址在哪"),
          text("p3", "wmA", "你们几点开门"), text("p4", "wmBlank", "能用医保吗")));

      callback(server);
      TestServer.awaitUntil(() -> List.of("p1", "p2", "p3", "p4").stream().allMatch(id -> handled(jdbi(server), id)));

      List<JsonNode> asked = sent(server, BATCHGET);
      assertThat(asked).hasSize(1);
      assertThat(ids(asked.get(0))).containsExactly("wmA", "wmBlank");
      assertThat(one(jdbi(server), "SELECT name FROM contacts WHERE external_userid = 'wmA'")).isEqualTo("小A");
      assertThat(one(jdbi(server), "SELECT channel FROM contacts WHERE external_userid = 'wmA'")).isEqualTo("kf");
      assertThat(one(jdbi(server), "SELECT name FROM contacts WHERE external_userid = 'wmBlank'")).isEqualTo("小B");
      assertThat(one(jdbi(server), "SELECT name FROM contacts WHERE external_userid = 'wmKnown'")).isEqualTo("张先生");
    }
  }

  @Test
  void namedContactIsNotAsked() throws Exception {
    try (TestServer server = KfScenario.server(WEDNESDAY_10)) {
      exec(jdbi(server), "INSERT INTO contacts (external_userid, name, added_at, updated_at) VALUES ('wmOwn', '张先生', 0, 0)");

      patientWrites(server, "wmOwn", UNANSWERED);
      awaitSent(server, SEND, 1);

      assertThat(sent(server, BATCHGET)).isEmpty();
      assertThat(sent(server, SEND).get(0).path("template_card").path("main_title").path("title").asText())
          .isEqualTo("患者咨询：张先生");
    }
  }

  @Test
  void batchgetErrcodeStillGetsTheDoctorACardAndTheNextMessageAsksAgain() throws Exception {
    try (TestServer server = KfScenario.server(WEDNESDAY_10)) {
      batchgetAnswers(server, TestServer.errcode(95000, "invalid external_userid_list"));

      patientWrites(server, "wmFail", UNANSWERED);
      awaitSent(server, SEND, 1);

      JsonNode card = sent(server, SEND).get(0);
      assertThat(card.path("touser").asText()).isEqualTo("dr-wang");
      assertThat(card.path("template_card").path("main_title").path("title").asText()).isEqualTo("患者咨询：微信用户");
      assertThat(card.path("template_card").path("sub_title_text").asText()).contains(UNANSWERED);
      assertThat(one(jdbi(server), "SELECT state FROM handoffs WHERE external_userid = 'wmFail'")).isEqualTo("notified");
      assertThat(one(jdbi(server), "SELECT name FROM contacts WHERE external_userid = 'wmFail'")).isEmpty();

      // WeCom recovered: the customer's next message brings the name.
      batchgetAnswers(server, okJson(customers("wmFail", "李四")));
      patientWrites(server, "wmFail", "停车方便吗");
      assertThat(sent(server, BATCHGET)).hasSize(2);
      assertThat(one(jdbi(server), "SELECT name FROM contacts WHERE external_userid = 'wmFail'")).isEqualTo("李四");
    }
  }

  @Test
  void batchgetHttpErrorStillAnswersTheFaq() throws Exception {
    try (TestServer server = KfScenario.server(WEDNESDAY_10)) {
      batchgetAnswers(server, aResponse().withStatus(500).withBody("upstream down"));

      patientWrites(server, "wmDown", "请问你们营业时间是几点到几点？");
      awaitSent(server, KfOutbox.SEND_MSG, 1);

      JsonNode reply = sent(server, KfOutbox.SEND_MSG).get(0);
      assertThat(reply.path("touser").asText()).isEqualTo("wmDown");
      assertThat(reply.path("text").path("content").asText()).startsWith("门诊营业时间是每天 09:00-21:00");
      assertThat(sent(server, BATCHGET)).hasSize(1);
      assertThat(one(jdbi(server), "SELECT intent FROM messages WHERE external_userid = 'wmDown' AND direction = 'in'"))
          .startsWith("faq:");
      assertThat(one(jdbi(server), "SELECT name FROM contacts WHERE external_userid = 'wmDown'")).isEmpty();
    }
  }

  private static void batchgetAnswers(TestServer server, ResponseDefinitionBuilder answer) {
    server.wecom().stubFor(post(urlPathEqualTo(BATCHGET)).atPriority(1).willReturn(answer));
  }

  /** A batchget answer for these (external_userid, nickname) pairs. */
  private static String customers(String... idsAndNicknames) {
    var body = KfScenario.JSON.createObjectNode().put("errcode", 0).put("errmsg", "ok");
    var list = body.putArray("customer_list");
    for (int i = 0; i < idsAndNicknames.length; i += 2) {
      list.addObject().put("external_userid", idsAndNicknames[i]).put("nickname", idsAndNicknames[i + 1])
          .put("avatar", "http://wx.qlogo.cn/mmhead/test/0").put("gender", 0).put("unionid", "oUnion" + i);
    }
    body.putArray("invalid_external_userid");
    return body.toString();
  }

  private static List<String> ids(JsonNode batchgetBody) {
    return StreamSupport.stream(batchgetBody.path("external_userid_list").spliterator(), false).map(JsonNode::asText)
        .toList();
  }
}
