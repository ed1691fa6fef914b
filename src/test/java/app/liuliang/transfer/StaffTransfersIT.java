package app.liuliang.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.testing.TestServer;
import app.liuliang.testing.WeComFake;
import app.liuliang.wecom.OutboxRequest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Staff transfers (继承) against a WireMock WeCom: batches of 100, results followed until final, refusals
 * and transfer_fail recorded, the 90-day limit reported and never retried, and Liuliang's own records
 * following a patient WeCom moved.
 */
class StaffTransfersIT {

  private static final String LILY = "assistant-lily";
  private static final String AMY = "assistant-amy";

  @Test
  void twoHundredFiftyPatientsGoInThreeCallsWithTheConfiguredMessage() throws Exception {
    try (TestServer server = TestServer.builder().start()) {
      TransferScenario given = new TransferScenario(server);
      for (int i = 0; i < 250; i++) {
        given.patient(String.format("wm%03d", i), "患者" + i, "ordered", LILY);
      }
      given.patient("wmOther", "别人的", "ordered", "dr-wang");
      given.transfersStart();

      StaffTransfers.Started started = given.feature().transfers().start(
          new TransferRequest(LILY, AMY, null, null, "test"));

      List<JsonNode> calls = given.sent(TransferScenario.TRANSFER);
      assertThat(calls).extracting(c -> c.path("external_userid").size()).containsExactly(100, 100, 50);
      assertThat(calls).allSatisfy(c -> {
        assertThat(c.path("handover_userid").asText()).isEqualTo(LILY);
        assertThat(c.path("takeover_userid").asText()).isEqualTo(AMY);
        assertThat(c.path("transfer_success_msg").asText()).startsWith("您好，您的口腔健康顾问工作有调整");
      });
      assertThat(started.kind()).isEqualTo("onjob");
      assertThat(started.statuses()).containsExactly(Map.entry("waiting", 250));
      assertThat(server.rows("SELECT COUNT(*) AS n FROM transfer_customers WHERE external_userid = 'wmOther'").get(0)
          .get("n")).isEqualTo(0);
    }
  }

  @Test
  void resultsAreFollowedUntilFinalARefusalIsRecordedAndTheRecordsFollowTheMovedPatient() throws Exception {
    try (WeComFake fake = new WeComFake(Duration.ZERO);
        TestServer server = TestServer.builder().wecom(fake).start()) {
      TransferScenario given = new TransferScenario(server);
      given.patient("wmMoved", "张三", "ordered", LILY);
      given.patient("wmRefuses", "李四", "ordered", LILY);
      given.patient("wmLater", "王五", "ordered", LILY);
      long now = server.clock().millis();
      given.jdbi().useHandle(h -> {
        h.execute("INSERT INTO handoffs (external_userid, doctor_userid, state, reason, opened_at, source_msgid) "
            + "VALUES ('wmMoved', ?, 'escalated', 'price', ?, 'msg-1')", LILY, now);
        h.execute("INSERT INTO referral_codes (external_userid, state, userid, reason, config_id, status, created_at, "
            + "updated_at) VALUES ('wmMoved', 'ref:R-wmMoved', ?, 'layer', 'cfg-old', 'active', ?, ?)", LILY, now, now);
        h.execute("INSERT INTO sop_broadcasts (outbox_key, week, item_id, sender, kind, status, created_at) "
            + "VALUES ('sop:journeys:day-3:wmMoved', 'journeys', 'day-3', ?, 'personal', 'queued', ?)", LILY, now);
      });
      ObjectNode body = server.wiring().foundation().json().createObjectNode().put("chat_type", "single")
          .put("sender", LILY);
      body.putArray("external_userid").add("wmMoved");
      Instant later = Instant.ofEpochMilli(now).plus(Duration.ofDays(2));
      server.wiring().foundation().outbox().enqueue(OutboxRequest.toPatient("sop:journeys:day-3:wmMoved", "sop.journey",
          "/cgi-bin/externalcontact/add_msg_template", body, "wmMoved", false, later, later.plus(Duration.ofHours(6))));
      given.transfersStart();
      StaffTransfers transfers = given.feature().transfers();
      String job = transfers.start(new TransferRequest(LILY, AMY, null, null, "test")).jobId();

      given.results(Map.of("wmMoved", 1, "wmRefuses", 3, "wmLater", 2));
      transfers.runOpen();

      assertThat(given.status("wmMoved")).isEqualTo("done");
      assertThat(given.status("wmRefuses")).isEqualTo("refused");
      assertThat(given.status("wmLater")).isEqualTo("waiting");
      assertThat(server.rows("SELECT status FROM transfer_jobs WHERE id = ?", job).get(0).get("status"))
          .isEqualTo("following");
      assertThat(server.rows("SELECT userid, status FROM contact_follows WHERE external_userid = 'wmMoved' "
          + "ORDER BY userid")).containsExactly(Map.of("userid", AMY, "status", "active"),
          Map.of("userid", LILY, "status", "transferred"));
      JsonNode pending = server.wiring().foundation().outbox().repository()
          .findByKey("sop:journeys:day-3:wmMoved").orElseThrow().body();
      assertThat(pending.path("sender").asText()).isEqualTo(AMY);
      assertThat(server.rows("SELECT sender FROM sop_broadcasts").get(0).get("sender")).as("confirmed by who sends it")
          .isEqualTo(AMY);
      assertThat(server.rows("SELECT doctor_userid FROM handoffs WHERE external_userid = 'wmMoved'").get(0)
          .get("doctor_userid")).isEqualTo(AMY);
      assertThat(server.rows("SELECT userid, status FROM referral_codes WHERE external_userid = 'wmMoved'").get(0))
          .isEqualTo(Map.of("userid", AMY, "status", "active"));
      assertThat(fake.contactWays().values()).anySatisfy(w -> {
        assertThat(w.path("state").asText()).isEqualTo("ref:R-wmMoved");
        assertThat(w.path("user").toString()).isEqualTo("[\"" + AMY + "\"]");
      });
      assertThat(server.rows("SELECT userid FROM contact_follows WHERE external_userid = 'wmRefuses' "
          + "AND status = 'active'")).containsExactly(Map.of("userid", LILY));

      given.results(Map.of("wmMoved", 1, "wmRefuses", 3, "wmLater", 1));
      transfers.runOpen();

      assertThat(given.status("wmLater")).isEqualTo("done");
      assertThat(server.rows("SELECT status FROM transfer_jobs WHERE id = ?", job).get(0).get("status")).isEqualTo("done");
      assertThat(given.sent(TransferScenario.TRANSFER)).as("nothing submitted twice").hasSize(1);
    }
  }

  @Test
  void aCustomerTransferResultNeverListsIsSettledAsNoRecordTwoDaysOnSoTheJobEnds() throws Exception {
    try (TestServer server = TestServer.builder().start()) {
      TransferScenario given = new TransferScenario(server);
      given.patient("wmListed", "有记录的", "ordered", LILY);
      given.patient("wmUnlisted", "没记录的", "ordered", LILY);
      given.transfersStart();
      StaffTransfers transfers = given.feature().transfers();
      String job = transfers.start(new TransferRequest(LILY, AMY, null, null, "test")).jobId();

      given.results(Map.of("wmListed", 2));
      transfers.runOpen();
      assertThat(given.status("wmUnlisted")).as("a day is not enough to tell").isEqualTo("waiting");

      server.clock().advance(ResultFollower.NO_RECORD_AFTER.plusMinutes(1));
      transfers.runOpen();
      assertThat(given.status("wmUnlisted")).isEqualTo("none");
      assertThat(given.status("wmListed")).as("listed as waiting: WeCom still has it").isEqualTo("waiting");

      given.results(Map.of("wmListed", 1));
      transfers.runOpen();
      assertThat(server.rows("SELECT status FROM transfer_jobs WHERE id = ?", job).get(0).get("status")).isEqualTo("done");
      assertThat(server.rows("SELECT userid FROM contact_follows WHERE external_userid = 'wmUnlisted' "
          + "AND status = 'active'")).as("no record: the patient stays where they were")
          .containsExactly(Map.of("userid", LILY));
    }
  }

  @Test
  void aCustomerMovedTwiceIn90DaysIsReportedAndNeverSubmittedAgain() throws Exception {
    try (TestServer server = TestServer.builder().start()) {
      TransferScenario given = new TransferScenario(server);
      given.patient("wmOften", "常被转的", "ordered", LILY);
      given.patient("wmFresh", "新的", "ordered", LILY);
      given.transfersAnswer(Map.of("wmOften", TransferSubmitter.TOO_OFTEN, "wmFresh", 0));
      StaffTransfers transfers = given.feature().transfers();

      StaffTransfers.Started first = transfers.start(new TransferRequest(LILY, AMY, null, null, "test"));
      assertThat(first.statuses()).containsEntry("twice_in_90_days", 1).containsEntry("waiting", 1);
      assertThat(given.status("wmOften")).isEqualTo("twice_in_90_days");
      transfers.runOpen();
      assertThat(given.sent(TransferScenario.TRANSFER)).as("reported, not retried").hasSize(1);

      // Liuliang's own record: two transfers started within 90 days, so a third is not asked for.
      long now = server.clock().millis();
      given.jdbi().useHandle(h -> {
        for (String id : List.of("tr-a", "tr-b")) {
          h.execute("INSERT INTO transfer_jobs (id, kind, from_userid, to_userid, status, requested_by, created_at, "
              + "updated_at) VALUES (?, 'onjob', 'x', 'y', 'done', 'test', ?, ?)", id, now, now);
          h.execute("INSERT INTO transfer_customers (job_id, external_userid, status, updated_at) "
              + "VALUES (?, 'wmFresh', 'done', ?)", id, now - Duration.ofDays(10).toMillis());
        }
      });
      StaffTransfers.Started second = transfers.start(new TransferRequest(LILY, "dr-wang", null, null, "test"));
      assertThat(second.statuses()).as("one refused for it before, one moved twice").containsExactly(
          Map.entry("twice_in_90_days", 2));
      assertThat(given.sent(TransferScenario.TRANSFER)).as("WeCom not asked again").hasSize(1);
    }
  }

  @Test
  void aTransferFailCallbackRecordsTheRefusal() throws Exception {
    try (TestServer server = TestServer.builder().start()) {
      TransferScenario given = new TransferScenario(server);
      given.patient("wmNo", "不愿意的", "ordered", LILY);
      given.patient("wmFull", "满了的", "ordered", LILY);
      given.transfersStart();
      given.feature().transfers().start(new TransferRequest(LILY, AMY, null, null, "test"));

      long at = server.clock().millis() / 1000;
      server.postCallback(TransferScenario.transferFail(AMY, "wmNo", "customer_refused", at));
      server.postCallback(TransferScenario.transferFail(AMY, "wmFull", "customer_limit_exceed", at));
      server.postCallback(TransferScenario.transferFail(AMY, "wmNo", "customer_refused", at));

      TestServer.awaitUntil(() -> "refused".equals(given.status("wmNo")) && "limit".equals(given.status("wmFull")));
      assertThat(server.rows("SELECT COUNT(*) AS n FROM contact_activities WHERE type = 'transfer_fail'").get(0).get("n"))
          .as("the contact's own record of it too; the repeated event is one").isEqualTo(2);
    }
  }

  @Test
  void aDepartedMembersUnassignedCustomersAndGroupsMoveByResignedTransferAndTheAdminsHearDaily() throws Exception {
    try (TestServer server = TestServer.builder().start()) {
      TransferScenario given = new TransferScenario(server);
      given.patient("wmLeft1", "甲", "ordered", LILY);
      given.patient("wmLeft2", "乙", "potential", LILY);
      given.unassigned(LILY, List.of("wmLeft1", "wmLeft2", "wmUnknown"));
      given.wecom().stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(
              com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo("/cgi-bin/externalcontact/groupchat/list"))
          .atPriority(2).willReturn(com.github.tomakehurst.wiremock.client.WireMock.okJson(
              "{\"errcode\":0,\"errmsg\":\"ok\",\"group_chat_list\":[{\"chat_id\":\"wrA\",\"status\":1},"
                  + "{\"chat_id\":\"wrB\",\"status\":1}],\"next_cursor\":\"\"}")));
      given.wecom().stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(
              com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo("/cgi-bin/externalcontact/groupchat/transfer"))
          .atPriority(2).willReturn(com.github.tomakehurst.wiremock.client.WireMock.okJson(
              "{\"errcode\":0,\"errmsg\":\"ok\",\"failed_chat_list\":[{\"chat_id\":\"wrB\",\"errcode\":90500,"
                  + "\"errmsg\":\"the owner of this chat is not resigned\"}]}")));
      given.transfersStart();

      StaffTransfers.Started started = given.feature().transfers().start(
          new TransferRequest(LILY, AMY, null, null, "test"));

      assertThat(started.kind()).isEqualTo("resigned");
      assertThat(given.sent(TransferScenario.TRANSFER)).isEmpty();
      JsonNode call = given.sent(TransferScenario.RESIGNED_TRANSFER).get(0);
      assertThat(call.path("external_userid").toString()).isEqualTo("[\"wmLeft1\",\"wmLeft2\",\"wmUnknown\"]");
      assertThat(call.has("transfer_success_msg")).as("not in the resigned API").isFalse();
      JsonNode groups = given.sent("/cgi-bin/externalcontact/groupchat/transfer").get(0);
      assertThat(groups.path("new_owner").asText()).isEqualTo(AMY);
      assertThat(server.rows("SELECT chat_id, status, COALESCE(errcode, 0) AS errcode FROM transfer_groups "
          + "ORDER BY chat_id")).containsExactly(Map.of("chat_id", "wrA", "status", "done", "errcode", 0),
          Map.of("chat_id", "wrB", "status", "failed", "errcode", 90500));

      StaffTransfers.Started filtered = given.feature().transfers().start(
          new TransferRequest(LILY, "dr-wang", "potential", null, "test"));
      assertThat(filtered.customers()).as("only known patients of the layer").isEqualTo(1);
      assertThat(filtered.groups()).as("groups only move with everyone").isZero();

      assertThat(given.feature().checkUnassigned()).isEqualTo(3);
      assertThat(given.feature().checkUnassigned()).isEqualTo(3);
      List<Map<String, Object>> notices = server.rows("SELECT body FROM outbox WHERE purpose = 'transfer.unassigned'");
      assertThat(notices).as("once a day").hasSize(1);
      assertThat((String) notices.get(0).get("body")).contains("小美（assistant-lily）：3 位").contains("离职");
    }
  }

  @Test
  void inTheSandboxTransfersFinishOneCustomerRefusesAndTheDepartedMembersCustomersMove() throws Exception {
    try (TestServer server = TestServer.builder().env(app.liuliang.app.Settings.CORP_ID, "").start()) {
      TransferScenario given = new TransferScenario(server);
      app.liuliang.sandbox.TransferStubs sandbox = server.wiring().sandbox().orElseThrow().transfers();
      sandbox.takeoverAfter(Duration.ofMillis(300));
      given.patient("wmSandboxA", "沙箱甲", "ordered", LILY);
      given.patient("wmSandboxB", "沙箱乙", "ordered", LILY);
      StaffTransfers transfers = given.feature().transfers();

      StaffTransfers.Started onjob = transfers.start(new TransferRequest(LILY, "dr-wang", null, null, "test"));
      transfers.runOpen();
      assertThat(onjob.kind()).isEqualTo("onjob");
      assertThat(given.status("wmSandboxA")).isEqualTo("waiting");
      assertThat(server.rows("SELECT chat_id, status FROM transfer_groups"))
          .containsExactly(Map.of("chat_id", "wrSandboxGroup01", "status", "done"));
      JsonNode groupMove = new com.fasterxml.jackson.databind.ObjectMapper().readTree(server.wiring().sandbox()
          .orElseThrow().sentSince(0).stream().filter(r -> r.path().startsWith(
              "/cgi-bin/externalcontact/groupchat/onjob_transfer")).findFirst().orElseThrow().body());
      assertThat(groupMove.path("chat_id_list").toString()).isEqualTo("[\"wrSandboxGroup01\"]");
      assertThat(groupMove.path("new_owner").asText()).isEqualTo("dr-wang");
      Thread.sleep(400);
      transfers.runOpen();
      assertThat(given.status("wmSandboxA")).isEqualTo("done");
      assertThat(given.status("wmSandboxB")).as("the sandbox's second customer refuses").isEqualTo("refused");
      assertThat(server.rows("SELECT status FROM transfer_jobs WHERE id = ?", onjob.jobId()).get(0).get("status"))
          .isEqualTo("done");
      assertThat(server.rows("SELECT userid FROM contact_follows WHERE external_userid = 'wmSandboxA' "
          + "AND status = 'active'")).containsExactly(Map.of("userid", "dr-wang"));

      String departed = app.liuliang.sandbox.TransferStubs.DEPARTED;
      assertThat(transfers.unassignedByMember()).containsExactly(Map.entry(departed, 3L));
      assertThat(given.feature().checkUnassigned()).isEqualTo(3);
      StaffTransfers.Started resigned = transfers.start(new TransferRequest(departed, LILY, null, null, "test"));
      assertThat(resigned.kind()).isEqualTo("resigned");
      assertThat(resigned.statuses()).containsExactly(Map.entry("waiting", 3));
      assertThat(server.rows("SELECT chat_id, status FROM transfer_groups WHERE job_id = ?", resigned.jobId()))
          .containsExactly(Map.of("chat_id", app.liuliang.sandbox.TransferStubs.DEPARTED_GROUP, "status", "done"));
      Thread.sleep(400);
      transfers.runOpen();
      assertThat(server.rows("SELECT external_userid, status FROM transfer_customers WHERE job_id = ? "
          + "ORDER BY external_userid", resigned.jobId())).containsExactly(
          Map.of("external_userid", "wmSandboxLeft01", "status", "done"),
          Map.of("external_userid", "wmSandboxLeft02", "status", "refused"),
          Map.of("external_userid", "wmSandboxLeft03", "status", "done"));
      assertThat(transfers.unassignedByMember()).as("the one who refused is still to be assigned")
          .containsExactly(Map.entry(departed, 1L));
    }
  }
}
