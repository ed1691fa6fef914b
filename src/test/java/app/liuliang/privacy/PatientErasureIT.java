package app.liuliang.privacy;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.app.Main;
import app.liuliang.sandbox.CallbackSimulator;
import app.liuliang.testing.TestServer;
import app.liuliang.wecom.OutboxRequest;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code contacts forget} and the console's button: the patient is in no table afterwards (every column of
 * every table is searched for their id and name), the schema has no table the erasure does not know
 * about, pending sends are cancelled, other patients keep their data, and one anonymous audit row stays.
 */
class PatientErasureIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** "_" on purpose: a LIKE would treat it as a wildcard and also match wmForgetXme1's rows. */
  private static final String P = "wmForget_me1";
  private static final String LOOKALIKE = "wmForgetXme1";
  private static final String Q = "wmReferrerQ";
  private static final String NAME = "王小明";

  /**
   * Tables that hold no patient data, each with the reason. A new table must be added here or to a
   * {@link PatientData}: otherwise {@link #everyTableIsErasedOrKnownToHoldNoPatientData} fails.
   */
  private static final Map<String, String> NO_PATIENT_DATA = Map.ofEntries(
      Map.entry("flyway_schema_history", "migrations"),
      Map.entry("store_probe", "the /ready write probe"),
      Map.entry("wecom_token", "the access token"),
      Map.entry("corp_tags", "the corp's tag ids"),
      Map.entry("kf_cursors", "sync cursors per kf account"),
      Map.entry("sop_plans", "the operator's plan files"),
      Map.entry("sop_items", "plan items (audiences are layers and tags, not people)"),
      Map.entry("sop_broadcasts", "broadcast tasks per staff sender"),
      Map.entry("alert_state", "operator alert conditions"),
      Map.entry("channel_codes", "the clinic's channel codes (per channel and store, not per person)"),
      Map.entry("group_join_ways", "group codes per category"),
      Map.entry("group_welcome_templates", "join welcomes per category"),
      Map.entry("group_refresh_due", "group ids waiting for a re-read"),
      Map.entry("erasures", "the anonymous audit rows themselves"),
      Map.entry("transfer_jobs", "staff transfer jobs (staff ids and filters)"),
      Map.entry("transfer_groups", "customer groups moved between staff"),
      Map.entry("cluster_locks", "named locks of the nodes"),
      Map.entry("auth_failures", "wrong admin tokens per client address, for a minute"),
      Map.entry("pace_slots", "the last slot of each shared rate limiter"),
      Map.entry("nodes", "heartbeats of the running nodes"),
      Map.entry("welcome_covers", "media ids of welcome card covers"),
      Map.entry("console_sessions", "operators' console sign-ins (hashed ids)"),
      Map.entry("staff_figures", "WeCom's daily figures per staff member"),
      Map.entry("staff_figure_fetches", "how far each staff member's figures were fetched"),
      Map.entry("intercept_rules", "the clinic's advertising-word rules in WeCom"));
  private static final Pattern PATIENT_COLUMN =
      Pattern.compile("external_?user_?id|referee|referrer|target|payload|body|content|card|name|phone", Pattern.CASE_INSENSITIVE);

  @Test
  void forgetLeavesThePatientInNoTable() throws Exception {
    try (TestServer server = TestServer.builder().start()) {
      Jdbi jdbi = server.wiring().foundation().database().jdbi();
      added(server, Q, "老客户", "meituan", "code-q");
      String code = jdbi.withHandle(h -> h.createQuery("SELECT referral_code FROM contacts WHERE external_userid = :q")
          .bind("q", Q).mapTo(String.class).one());
      added(server, P, NAME, "ref:" + code, "code-p");
      added(server, LOOKALIKE, "别人", "meituan", "code-x");
      assertThat(server.post("/api/events", "{\"external_userid\":\"" + P + "\",\"type\":\"visit\",\"subtype\":\"cleaning\"}",
          TestServer.admin()).statusCode()).isEqualTo(200);
      seedWhatTheFlowsAboveDidNotWrite(server, jdbi);
      long pendingBefore = count(jdbi, "SELECT COUNT(*) FROM outbox WHERE external_userid = '" + P + "' AND status = 'pending'");
      assertThat(pendingBefore).isPositive();
      assertThat(tablesHolding(jdbi, P)).contains("contacts", "contact_follows", "contact_tags", "referrals", "welcomes",
          "inbox", "outbox", "messages", "handoffs", "contact_activities", "sop_deliveries", "kf_rejects", "sidebar_audit");

      StringWriter out = new StringWriter();
      CommandLine cli = Main.commandLine();
      cli.setOut(new PrintWriter(out));
      cli.setErr(new PrintWriter(new StringWriter()));
      assertThat(cli.execute("contacts", "forget", P, "--yes", "--data-dir", server.dataDir().toString())).isZero();
      assertThat(out.toString()).startsWith("erased: audit row ");

      assertThat(tablesHolding(jdbi, P)).isEmpty();
      assertThat(tablesHolding(jdbi, NAME)).isEmpty();
      // The others keep theirs: the referrer (without the link), the lookalike id, the broadcast to them.
      assertThat(count(jdbi, "SELECT COUNT(*) FROM contacts WHERE external_userid IN ('" + Q + "', '" + LOOKALIKE + "')")).isEqualTo(2);
      assertThat(count(jdbi, "SELECT COUNT(*) FROM messages WHERE external_userid = '" + LOOKALIKE + "'")).isEqualTo(1);
      assertThat(count(jdbi, "SELECT COUNT(*) FROM inbox WHERE instr(payload, '" + LOOKALIKE + "') > 0")).isPositive();
      assertThat(count(jdbi, "SELECT COUNT(*) FROM referrals")).isZero();
      String broadcast = jdbi.withHandle(h -> h.createQuery("SELECT status || ' ' || body FROM outbox WHERE idem_key = 'sop/test/personal/1'")
          .mapTo(String.class).one());
      assertThat(broadcast).startsWith("pending ").contains(Q).doesNotContain(P);
      assertThat(count(jdbi, "SELECT COUNT(*) FROM outbox WHERE idem_key = 'sop/test/personal/only-p' AND status = 'cancelled'")).isEqualTo(1);
      assertThat(count(jdbi, "SELECT COUNT(*) FROM outbox WHERE status = 'cancelled' AND last_error = 'patient data erased on request'"))
          .isGreaterThanOrEqualTo(pendingBefore);
      // Reports still count: the hand-off and the delivery stay as anonymous rows.
      assertThat(count(jdbi, "SELECT COUNT(*) FROM handoffs WHERE external_userid LIKE 'erased-%' AND state = 'closed'")).isEqualTo(1);
      assertThat(count(jdbi, "SELECT COUNT(*) FROM sop_deliveries WHERE target LIKE 'erased-%'")).isEqualTo(1);
      assertThat(count(jdbi, "SELECT COUNT(*) FROM sidebar_audit WHERE external_userid LIKE 'erased-%' AND userid = 'assistant-lily'"))
          .isEqualTo(1);
      Map<String, Object> audit = jdbi.withHandle(h -> h.createQuery("SELECT erased_by, channel, layer, rows FROM erasures")
          .mapToMap().one());
      assertThat(audit.get("erased_by").toString()).startsWith("cli:");
      assertThat(audit.get("channel")).isEqualTo("referral");
      assertThat(audit.get("rows").toString()).contains("\"contacts\":1");

      // Forgetting twice is harmless: nothing left to find.
      assertThat(new PatientEraser(server.wiring().foundation().database(), JSON, server.clock()).forget(P, "test").known())
          .isFalse();
    }
  }

  @Test
  void theConsoleButtonNeedsTheIdTypedTwiceAndTheFormToken() throws Exception {
    try (TestServer server = TestServer.builder().start()) {
      Jdbi jdbi = server.wiring().foundation().database().jdbi();
      added(server, P, NAME, "meituan", "code-p");
      String cookie = login(server);
      String csrf = csrf(server, cookie);

      assertThat(form(server, cookie, "csrf=wrong&external_userid=" + P + "&confirm=" + P).statusCode()).isEqualTo(403);
      assertThat(server.post("/admin/patients/forget", "csrf=" + csrf + "&external_userid=" + P + "&confirm=" + P,
          "Content-Type", "application/x-www-form-urlencoded").headers().firstValue("Location")).contains("/admin/login");
      HttpResponse<String> mismatch = form(server, cookie, "csrf=" + csrf + "&external_userid=" + P + "&confirm=wmForget");
      assertThat(mismatch.headers().firstValue("Location")).contains("/admin/layers?forgetError=mismatch");
      assertThat(tablesHolding(jdbi, P)).contains("contacts");

      HttpResponse<String> done = form(server, cookie, "csrf=" + csrf + "&external_userid=" + P + "&confirm=" + P);
      String location = done.headers().firstValue("Location").orElseThrow();
      assertThat(location).startsWith("/admin/layers?forgotten=");
      assertThat(tablesHolding(jdbi, P)).isEmpty();
      assertThat(server.get(location, "Cookie", cookie).body()).contains("已删除（记录编号")
          .contains("<strong id=\"erased-total\">1</strong>");
      String erasedBy = jdbi.withHandle(h -> h.createQuery("SELECT erased_by FROM erasures").mapTo(String.class).one());
      assertThat(erasedBy).startsWith("console:");
    }
  }

  @Test
  void everyTableIsErasedOrKnownToHoldNoPatientData() throws Exception {
    try (TestServer server = TestServer.builder().start()) {
      Jdbi jdbi = server.wiring().foundation().database().jdbi();
      Set<String> covered = Set.copyOf(new PatientEraser(server.wiring().foundation().database(), JSON, server.clock())
          .coveredTables());
      List<String> unknown = new ArrayList<>();
      List<String> patientColumnsNotErased = new ArrayList<>();
      for (String table : tables(jdbi)) {
        if (!covered.contains(table) && !NO_PATIENT_DATA.containsKey(table)) {
          unknown.add(table);
        }
        for (String column : columns(jdbi, table)) {
          if (PATIENT_COLUMN.matcher(column).find() && !covered.contains(table)
              && !Set.of("corp_tags", "sop_plans", "flyway_schema_history", "sop_broadcasts", "cluster_locks", "intercept_rules").contains(table)) {
            patientColumnsNotErased.add(table + "." + column);
          }
        }
      }
      assertThat(unknown).as("tables neither erased by a PatientData nor listed as holding no patient data").isEmpty();
      assertThat(patientColumnsNotErased).as("columns that look like patient data in tables no PatientData erases").isEmpty();
      assertThat(covered).allMatch(t -> tables(jdbi).contains(t));
    }
  }

  /** Rows the flows of this test do not reach (kf messages, hand-offs, SOP sends), written as their owners write them. */
  private static void seedWhatTheFlowsAboveDidNotWrite(TestServer server, Jdbi jdbi) {
    long now = server.clock().millis();
    jdbi.useHandle(h -> {
      for (String ext : List.of(P, LOOKALIKE)) {
        h.execute("INSERT INTO messages (msgid, external_userid, open_kfid, direction, msgtype, content, at) "
            + "VALUES (?, ?, 'kf1', 'in', 'text', ?, ?)", "msg-" + ext, ext, "我是" + (ext.equals(P) ? NAME : "别人") + "，牙疼出血", now);
      }
      h.execute("INSERT INTO handoffs (external_userid, open_kfid, doctor_userid, state, reason, opened_at, card, source_msgid) "
          + "VALUES (?, 'kf1', 'dr-wang', 'notified', 'medical', ?, ?, 'msg-" + P + "')", P, now, "{\"name\":\"" + NAME + "\"}");
      h.execute("INSERT INTO kf_rejects (open_kfid, reason, payload, at) VALUES ('kf1', 'unknown', ?, ?)",
          "{\"external_userid\":\"" + P + "\"}", now);
      h.execute("INSERT INTO sidebar_audit (at, userid, action, external_userid, detail) VALUES (?, 'assistant-lily', 'view', ?, NULL)",
          now, P);
      h.execute("INSERT INTO sop_deliveries (week, item_id, target, outbox_key, status, at) VALUES ('2026-W49', 'p1', ?, "
          + "'sop/2026-W49/p1/0', 'queued', ?)", P, now);
      for (String ext : List.of(P, LOOKALIKE)) {
        String n = ext.equals(P) ? "1" : "2";
        h.execute("INSERT INTO referral_codes (external_userid, state, userid, reason, config_id, status, created_at, "
            + "updated_at) VALUES (?, ?, 'assistant-lily', 'layer', ?, 'active', ?, ?)", ext, "ref:RC000" + n, "cw" + n, now, now);
        h.execute("INSERT INTO referral_rewards (referrer_external_userid, friends, reward, status, earned_at) "
            + "VALUES (?, 1, '洁牙券', 'earned', ?)", ext, now);
        h.execute("INSERT INTO group_members (chat_id, member_id, type, join_time, name) VALUES ('wrChat1', ?, 2, ?, ?)",
            ext, now, ext.equals(P) ? NAME : "别人");
        h.execute("INSERT INTO group_member_changes (chat_id, member_id, change, at) VALUES ('wrChat1', ?, 'join', ?)",
            ext, now);
      }
      h.execute("INSERT INTO opt_out_changes (external_userid, opted_out, actor, reason, at) VALUES (?, 1, 'assistant-lily', "
          + "'患者电话里要求', ?)", P, now);
      h.execute("INSERT INTO handoff_actions (handoff_id, action, actor, via, detail, at) SELECT id, 'answer', 'dr-wang', "
          + "'console', ?, ? FROM handoffs WHERE external_userid = ?", NAME + "您好，出血请先压迫止血", now, P);
      h.execute("INSERT INTO churn_alerts (idem_key, recipient, text, created_at) VALUES ('churn:x', 'assistant-lily', ?, ?)",
          "【流失提醒】" + NAME + " 退出了种植VIP群", now);
    });
    ObjectNode toBoth = JSON.createObjectNode().put("chat_type", "single");
    toBoth.putArray("external_userid").add(Q).add(P);
    toBoth.putObject("text").put("content", "冬季洁牙");
    ObjectNode toP = JSON.createObjectNode().put("chat_type", "single");
    toP.putArray("external_userid").add(P);
    var outbox = server.wiring().foundation().outbox();
    var later = server.clock().instant().plus(Duration.ofHours(5));
    outbox.enqueue(OutboxRequest.internal("sop/test/personal/1", "sop.personal", "/cgi-bin/externalcontact/add_msg_template",
        toBoth, later, later.plus(Duration.ofDays(1))));
    outbox.enqueue(OutboxRequest.internal("sop/test/personal/only-p", "sop.personal", "/cgi-bin/externalcontact/add_msg_template",
        toP, later, later.plus(Duration.ofDays(1))));
    outbox.enqueue(OutboxRequest.toPatient("journey/" + P + "/day3", "sop.journey", "/cgi-bin/externalcontact/add_msg_template",
        toP.deepCopy(), P, false, later, later.plus(Duration.ofDays(1))));
  }

  private static void added(TestServer server, String ext, String name, String state, String code) throws Exception {
    ObjectNode body = JSON.createObjectNode().put("errcode", 0).put("errmsg", "ok");
    body.putObject("external_contact").put("external_userid", ext).put("name", name).put("type", 1);
    body.putArray("follow_user").addObject().put("userid", "assistant-lily").put("createtime", server.clock().millis() / 1000)
        .put("state", state).putArray("tags");
    server.wecom().stubFor(get(urlPathEqualTo("/cgi-bin/externalcontact/get")).withQueryParam("external_userid", equalTo(ext))
        .atPriority(1).willReturn(okJson(body.toString())));
    assertThat(server.postCallback(CallbackSimulator.addExternalContact(TestServer.CORP_ID, "assistant-lily", ext, state, code,
        server.clock().millis() / 1000)).statusCode()).isEqualTo(200);
    Jdbi jdbi = server.wiring().foundation().database().jdbi();
    TestServer.awaitUntil(() -> count(jdbi, "SELECT COUNT(*) FROM welcomes WHERE external_userid = '" + ext + "'") > 0
        && count(jdbi, "SELECT COUNT(*) FROM inbox WHERE status = 'pending'") == 0);
  }

  /** Tables in which some column's text contains {@code needle}. */
  static List<String> tablesHolding(Jdbi jdbi, String needle) {
    List<String> found = new ArrayList<>();
    for (String table : tables(jdbi)) {
      for (String column : columns(jdbi, table)) {
        long n = jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM \"" + table + "\" WHERE instr(CAST(\"" + column
            + "\" AS TEXT), :needle) > 0").bind("needle", needle).mapTo(Long.class).one());
        if (n > 0 && !found.contains(table)) {
          found.add(table);
        }
      }
    }
    return found;
  }

  static List<String> tables(Jdbi jdbi) {
    return jdbi.withHandle(h -> h.createQuery("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        .mapTo(String.class).list());
  }

  private static List<String> columns(Jdbi jdbi, String table) {
    return jdbi.withHandle((Handle h) -> h.createQuery("SELECT name FROM pragma_table_info(:t)").bind("t", table)
        .mapTo(String.class).list());
  }

  private static long count(Jdbi jdbi, String sql) {
    return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
  }

  private static String login(TestServer server) throws Exception {
    HttpResponse<String> reply = server.post("/admin/login", "token=" + URLEncoder.encode(TestServer.ADMIN_TOKEN,
        StandardCharsets.UTF_8), "Content-Type", "application/x-www-form-urlencoded");
    return reply.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
  }

  private static String csrf(TestServer server, String cookie) throws Exception {
    Matcher m = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(server.get("/admin/patients", "Cookie", cookie).body());
    assertThat(m.find()).isTrue();
    return m.group(1);
  }

  private static HttpResponse<String> form(TestServer server, String cookie, String form) throws Exception {
    return server.post("/admin/patients/forget", form, "Content-Type", "application/x-www-form-urlencoded", "Cookie", cookie);
  }
}
