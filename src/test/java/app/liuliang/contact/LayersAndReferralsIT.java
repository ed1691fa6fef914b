package app.liuliang.contact;

import static app.liuliang.contact.PatientFixture.ids;
import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.testing.TestServer;
import app.liuliang.wecom.OutboxRequest;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Referrals and the KOC ranking, layer moves, practice events and lost contacts, end to end. */
class LayersAndReferralsIT {

  private static TestServer start(Path config) throws Exception {
    TestServer server = TestServer.builder().configDir(config).start();
    PatientFixture.stubTags(server.wecom());
    return server;
  }

  private static Path shippedConfig() {
    return TestServer.copyConfig(Path.of("config"));
  }

  /** The shipped config, with only the top {@code n} referrers carrying the KOC tag. */
  private static Path shippedConfigWithTopReferrers(int n) throws IOException {
    Path config = shippedConfig();
    Path tags = config.resolve("tags.yaml");
    Files.writeString(tags, Files.readString(tags).replace("top_referrers: 50", "top_referrers: " + n));
    return config;
  }

  /** A patient adds the assistant and everything that follows is done; the clock then moves on 1 s. */
  private static void added(TestServer server, PatientFixture given, String ext, String name, String state) throws Exception {
    given.contact(ext, name, "assistant-lily", state);
    given.adds(ext, "assistant-lily", state, "CODE-" + ext);
    TestServer.awaitUntil(() -> given.layer(ext) != null);
    given.awaitQuiet();
    server.clock().advance(Duration.ofSeconds(1));
  }

  private static List<String> kocHolders(PatientFixture given) {
    return given.rows("SELECT external_userid FROM contact_tags WHERE tag_name = 'KOC-超级推荐官' ORDER BY external_userid")
        .stream().map(r -> (String) r.get("external_userid")).toList();
  }

  @Test
  void referralChainCountsEachReferrer() throws Exception {
    try (TestServer server = start(shippedConfig())) {
      PatientFixture given = new PatientFixture(server);
      added(server, given, "wmA", "阿梅", "meituan");
      added(server, given, "wmB", "阿彬", "ref:" + given.referralCode("wmA"));
      added(server, given, "wmC", "阿超", "ref:" + given.referralCode("wmB"));

      assertThat(given.rows("SELECT referee_external_userid AS referee, referrer_external_userid AS referrer FROM referrals "
          + "ORDER BY referee_external_userid")).containsExactly(
          Map.of("referee", "wmB", "referrer", "wmA"), Map.of("referee", "wmC", "referrer", "wmB"));
      assertThat(given.value("SELECT referrer_external_userid FROM contacts WHERE external_userid = 'wmC'")).isEqualTo("wmB");
      assertThat(given.value("SELECT COUNT(*) FROM referrals WHERE referrer_external_userid = 'wmA'")).isEqualTo(1);
      assertThat(ids(given.markTags("wmC").get(0).path("add_tag"))).contains("tag-来源-老带新");
      assertThat(given.referralCode("wmA")).matches("[2-9A-HJKMNP-Z]{6}").isNotEqualTo(given.referralCode("wmB"));
      assertThat(kocHolders(given)).containsExactly("wmA", "wmB");
      assertThat(given.layer("wmA")).isEqualTo("super");
      assertThat(given.layer("wmC")).isEqualTo("stranger");
      List<JsonNode> alerts = given.sent("/cgi-bin/message/send");
      assertThat(alerts).hasSize(2);
      assertThat(alerts.get(0).path("touser").asText()).isEqualTo("admin-zhang");
      assertThat(alerts.get(0).path("text").path("content").asText()).contains("阿梅").contains("前 50 名");
    }
  }

  @Test
  void onlyTheTopReferrersCarryTheKocTagAndTiesGoToWhoeverGotThereFirst() throws Exception {
    Path config = shippedConfigWithTopReferrers(1);
    try (TestServer server = start(config)) {
      PatientFixture given = new PatientFixture(server);
      added(server, given, "wmA", "阿梅", "meituan");
      added(server, given, "wmB", "阿彬", "dianping");
      String codeA = "ref:" + given.referralCode("wmA");
      String codeB = "ref:" + given.referralCode("wmB");

      added(server, given, "wmX1", "", codeA);
      assertThat(kocHolders(given)).containsExactly("wmA");

      added(server, given, "wmY1", "", codeB);
      assertThat(kocHolders(given)).as("1:1, A got there first").containsExactly("wmA");

      added(server, given, "wmY2", "", codeB);
      assertThat(kocHolders(given)).as("B leads 2:1").containsExactly("wmB");
      JsonNode lastForA = given.markTags("wmA").get(given.markTags("wmA").size() - 1);
      assertThat(ids(lastForA.path("remove_tag"))).containsExactly("tag-KOC-超级推荐官");
      assertThat(lastForA.has("add_tag")).isFalse();

      added(server, given, "wmX2", "", codeA);
      assertThat(kocHolders(given)).as("2:2, B got there first").containsExactly("wmB");
      assertThat(given.sent("/cgi-bin/message/send")).hasSize(2);
      assertThat(given.layer("wmA")).as("automatic moves never go down").isEqualTo("super");
    }
  }

  @Test
  void aReferrerWhoDeletesUsGivesTheirPlaceToTheNext() throws Exception {
    Path config = shippedConfigWithTopReferrers(1);
    try (TestServer server = start(config)) {
      PatientFixture given = new PatientFixture(server);
      added(server, given, "wmA", "阿梅", "meituan");
      added(server, given, "wmB", "阿彬", "dianping");
      added(server, given, "wmX1", "", "ref:" + given.referralCode("wmA"));
      added(server, given, "wmX2", "", "ref:" + given.referralCode("wmA"));
      added(server, given, "wmY1", "", "ref:" + given.referralCode("wmB"));
      assertThat(kocHolders(given)).containsExactly("wmA");

      given.change("del_follow_user", "wmA", "assistant-lily");
      TestServer.awaitUntil(() -> "lost".equals(given.value("SELECT status FROM contacts WHERE external_userid = 'wmA'")));
      given.awaitQuiet();

      assertThat(kocHolders(given)).as("A's two referrals stay on record, the place goes to B").containsExactly("wmB");
      assertThat(given.value("SELECT COUNT(*) FROM referrals WHERE referrer_external_userid = 'wmA'")).isEqualTo(2);
      assertThat(given.layer("wmB")).isEqualTo("super");
      // The KOC notices (the referrer's deletion also sends a churn alert, which is not one of them).
      List<JsonNode> alerts = given.sent("/cgi-bin/message/send").stream()
          .filter(b -> !b.path("text").path("content").asText().startsWith("【流失提醒】")).toList();
      assertThat(alerts.get(alerts.size() - 1).path("text").path("content").asText()).contains("阿彬").contains("前 1 名");
    }
  }

  @Test
  void everyLayerMoveIsRecordedAndTaggedWithExactlyOneLayerTag() throws Exception {
    try (TestServer server = start(shippedConfig())) {
      PatientFixture given = new PatientFixture(server);
      added(server, given, "wmL", "林", "frontdesk");
      ContactLayers layers = given.feature().layers();

      assertThat(layers.recordReply("wmL")).isTrue();
      assertThat(layers.raiseTo("wmL", "intent", "asked about implants")).isTrue();
      assertThat(event(server, "{\"external_userid\":\"wmL\",\"type\":\"visit\",\"subtype\":\"cleaning\"}").statusCode()).isEqualTo(200);
      assertThat(event(server, "{\"external_userid\":\"wmL\",\"type\":\"order\",\"amount\":6800}").statusCode()).isEqualTo(200);
      assertThat(event(server, "{\"external_userid\":\"wmL\",\"type\":\"membership\"}").statusCode()).isEqualTo(200);
      assertThat(layers.raiseTo("wmL", "potential", "replied again")).as("never down automatically").isFalse();
      given.awaitQuiet();
      given.contact("wmL", "林", "assistant-lily", "frontdesk", "分层-超级用户", "分层-意向");
      given.change("edit_external_contact", "wmL", "assistant-lily");
      TestServer.awaitUntil(() -> "intent".equals(given.layer("wmL")));
      given.awaitQuiet();

      assertThat(given.rows("SELECT from_layer, to_layer FROM layer_changes WHERE external_userid = 'wmL' ORDER BY id"))
          .extracting(r -> r.get("from_layer") + ">" + r.get("to_layer"))
          .containsExactly("stranger>potential", "potential>intent", "intent>ordered", "ordered>repeat", "repeat>super",
              "super>intent");
      List<JsonNode> tags = given.markTags("wmL");
      JsonNode last = tags.get(tags.size() - 1);
      assertThat(ids(last.path("add_tag"))).containsExactly("tag-分层-意向");
      assertThat(ids(last.path("remove_tag"))).hasSize(5).contains("tag-分层-超级用户").doesNotContain("tag-分层-意向");
      assertThat(given.value("SELECT COUNT(*) FROM contact_tags WHERE external_userid = 'wmL' AND tag_name LIKE '分层-%'"))
          .isEqualTo(1);
    }
  }

  private static HttpResponse<String> event(TestServer server, String json) throws Exception {
    return server.post("/api/events", json, TestServer.admin());
  }

  @Test
  void practiceEventsRejectBadInputAndWriteNothing() throws Exception {
    try (TestServer server = start(shippedConfig())) {
      PatientFixture given = new PatientFixture(server);
      added(server, given, "wmE", "鄂", "meituan");

      assertThat(server.post("/api/events", "{\"external_userid\":\"wmE\",\"type\":\"visit\"}").statusCode()).isEqualTo(401);
      assertThat(event(server, "{\"external_userid\":\"wmE\",").body()).contains("not valid JSON");
      assertThat(event(server, "{\"external_userid\":\"wmE\",\"type\":\"refund\"}").body())
          .contains("type must be one of visit, order, membership");
      HttpResponse<String> unknown = event(server, "{\"external_userid\":\"wmNobody\",\"type\":\"visit\"}");
      assertThat(unknown.statusCode()).isEqualTo(400);
      assertThat(unknown.body()).contains("unknown contact: external_userid \\\"wmNobody\\\"");
      assertThat(event(server, "{\"phone\":\"13800000000\",\"type\":\"order\"}").body()).contains("no contact has phone");
      assertThat(event(server, "{\"external_userid\":\"wmE\",\"type\":\"order\",\"amount\":\"lots\"}").statusCode()).isEqualTo(400);
      assertThat(event(server, "{\"external_userid\":\"wmE\",\"type\":\"order\",\"at\":\"yesterday\"}").body()).contains("ISO-8601");
      assertThat(event(server, "{\"external_userid\":\"wmE\",\"kind\":\"order\"}").body()).contains("unknown field \\\"kind\\\"");
      assertThat(given.value("SELECT COUNT(*) FROM contact_activities WHERE type IN ('visit', 'order')")).isEqualTo(0);
      assertThat(given.layer("wmE")).isEqualTo("stranger");

      HttpResponse<String> good = event(server,
          "{\"external_userid\":\"wmE\",\"phone\":\"13900001111\",\"type\":\"order\",\"amount\":299,\"at\":\"2026-11-20T10:30:00+08:00\"}");
      assertThat(good.statusCode()).isEqualTo(200);
      assertThat(good.body()).contains("\"layer\":\"ordered\"").contains("\"layer_changed\":true");
      HttpResponse<String> byPhone = event(server, "{\"phone\":\"13900001111\",\"type\":\"visit\",\"at\":\"2026-11-22T15:00:00\"}");
      assertThat(byPhone.body()).contains("\"layer\":\"repeat\"");
      assertThat(given.rows("SELECT type, at FROM contact_activities WHERE external_userid = 'wmE' AND type IN ('visit', 'order') ORDER BY at"))
          .extracting(r -> r.get("type") + "@" + r.get("at"))
          .containsExactly("order@1795141800000", "visit@1795330800000");
    }
  }

  @Test
  void lostContactsGetNothingMoreAndChangesAreRecorded() throws Exception {
    try (TestServer server = start(shippedConfig())) {
      PatientFixture given = new PatientFixture(server);
      added(server, given, "wmLost", "陆", "meituan");
      added(server, given, "wmGone", "顾", "meituan");
      var outbox = server.wiring().foundation().outbox();
      var now = server.clock().instant();
      var body = PatientFixture.JSON.createObjectNode().put("chat_type", "single");
      outbox.enqueue(OutboxRequest.toPatient("later:wmLost", "test", "/cgi-bin/externalcontact/add_msg_template", body,
          "wmLost", false, now.plus(Duration.ofHours(1)), now.plus(Duration.ofHours(2))));

      given.change("del_follow_user", "wmLost", "assistant-lily");
      given.change("del_external_contact", "wmGone", "assistant-lily");
      server.postCallback("<xml><ToUserName><![CDATA[" + TestServer.CORP_ID + "]]></ToUserName><FromUserName><![CDATA[sys]]>"
          + "</FromUserName><CreateTime>" + server.clock().millis() / 1000 + "</CreateTime><MsgType><![CDATA[event]]></MsgType>"
          + "<Event><![CDATA[change_external_contact]]></Event><ChangeType><![CDATA[transfer_fail]]></ChangeType>"
          + "<FailReason><![CDATA[customer_refused]]></FailReason><UserID><![CDATA[dr-wang]]></UserID>"
          + "<ExternalUserID><![CDATA[wmGone]]></ExternalUserID></xml>");
      TestServer.awaitUntil(() -> "lost".equals(given.value("SELECT status FROM contacts WHERE external_userid = 'wmLost'"))
          && given.value("SELECT id FROM contact_activities WHERE type = 'transfer_fail'") != null);

      assertThat(given.value("SELECT status FROM outbox WHERE idem_key = 'later:wmLost'")).isEqualTo("cancelled");
      outbox.enqueue(OutboxRequest.toPatient("now:wmGone", "test", "/cgi-bin/externalcontact/add_msg_template", body,
          "wmGone", false, now, now.plus(Duration.ofHours(2))));
      TestServer.awaitUntil(() -> "skipped".equals(given.value("SELECT status FROM outbox WHERE idem_key = 'now:wmGone'")));
      assertThat(given.value("SELECT last_error FROM outbox WHERE idem_key = 'now:wmGone'")).isEqualTo("contact removed");
      assertThat(given.value("SELECT detail FROM contact_activities WHERE type = 'transfer_fail'"))
          .isEqualTo("takeover=dr-wang reason=customer_refused");
    }
  }
}
