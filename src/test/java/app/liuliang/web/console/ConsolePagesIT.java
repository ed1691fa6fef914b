package app.liuliang.web.console;

import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.testing.MutableClock;
import app.liuliang.testing.TestServer;
import app.liuliang.wecom.OutboxRepository;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Each page shows what the shared tables hold: seeded with SQL, read over real HTTP. */
class ConsolePagesIT {

  /** Wednesday 2026-11-25 12:00 in Shanghai: the week runs Monday 23rd to Sunday 29th. */
  static final Instant NOON = Instant.parse("2026-11-25T04:00:00Z");
  static final long HOUR = 3_600_000L;

  private static TestServer start() throws Exception {
    return TestServer.builder().without("sop", "campaigns").clock(new MutableClock(NOON)).start();
  }

  private static ConsoleSeed seed(TestServer server) {
    return new ConsoleSeed(server.wiring().foundation().database().jdbi());
  }

  private static String page(TestServer server, String path) throws Exception {
    HttpResponse<String> reply = server.get(path, TestServer.admin());
    assertThat(reply.statusCode()).as(path).isEqualTo(200);
    return reply.body();
  }

  @Test
  void todayCountsCallbacksWelcomesHandoffsSopItemsAndOutboxDepth() throws Exception {
    try (TestServer server = start()) {
      long now = server.clock().millis();
      // A callback no feature acts on: counted as received, and it sends no welcome of its own.
      server.postCallback("<xml><ToUserName>" + TestServer.CORP_ID + "</ToUserName><FromUserName>sys</FromUserName>"
          + "<CreateTime>" + now / 1000 + "</CreateTime><MsgType>event</MsgType><Event>brand_new_event</Event></xml>");
      ConsoleSeed seed = seed(server);
      seed.outbox("welcome:1", "welcome", "sent", null, null, now - HOUR);
      seed.outbox("welcome:2", "welcome", "sent", null, null, now - HOUR);
      seed.outbox("welcome:3", "welcome", "failed", 41051, "externaluser has started chatting", now - HOUR);
      seed.outbox("welcome:old", "welcome", "failed", 41051, "yesterday", now - 30 * HOUR);
      seed.handoff("wmA", "dr-wang", "notified", now - 2 * HOUR, null, 0);
      seed.handoff("wmB", "dr-chen", "closed", now - 5 * HOUR, now - 4 * HOUR, 0);
      seed.sopItem("2026-W48", "mon-1", "moment", now + HOUR, "洁牙小知识", "scheduled");
      seed.sopItem("2026-W48", "mon-2", "group", now - HOUR, "本周活动", "sent");
      seed.sopItem("2026-W48", "tue-1", "group", now + 24 * HOUR, "明天的", "scheduled");

      String html = page(server, "/admin");

      // Callbacks are the technical view's (运维); the operator's page does not speak of them.
      assertThat(page(server, "/admin/ops")).contains("<span class=\"value\" id=\"callbacks\">1</span>");
      assertThat(html).doesNotContain("回调").contains("id=\"system\">正常</span>")
          .contains("id=\"welcomes-sent\">2</span>")
          .contains("id=\"welcomes-failed\">1</span>")
          .contains("id=\"handoffs-open\">1</span>")
          .contains("id=\"sop-due\">2</span>")
          .contains("id=\"outbox-depth\">0</span>")
          .contains("待发送 1").contains("已发送 1");
    }
  }

  @Test
  void weekShowsThisAndNextWeeksItemsWithStatusAndPlanErrors() throws Exception {
    try (TestServer server = start()) {
      long now = server.clock().millis();
      seed(server)
          .sopItem("2026-W48", "wed-moment", "moment", now + 2 * HOUR, "冬季护牙：每天两次巴氏刷牙法", "confirmed")
          .sopItem("2026-W48", "mon-group", "group", now - 2 * 24 * HOUR, "周一群公告", "missed")
          .sopItem("2026-W49", "next-fri", "personal", now + 9 * 24 * HOUR, "复诊提醒", "scheduled")
          .sopItem("2026-W49", "gone", "personal", now + 9 * 24 * HOUR, "已移除的任务", "removed")
          .sopItem("2026-W50", "later", "personal", now + 20 * 24 * HOUR, "太远的任务", "scheduled")
          .sopPlan("2026-W48", "config/sop/2026-W48.yaml", "valid", null, now - HOUR)
          .sopPlan("2026-W49", "config/sop/2026-W49.yaml", "invalid",
              "config/sop/2026-W49.yaml:14:7: moments[2].senders: unknown account \"dr-li\"\n"
                  + "config/sop/2026-W49.yaml:20:3: unknown key \"txet\" (did you mean \"text\"?)", now - HOUR);

      String html = page(server, "/admin/week");

      assertThat(html).contains("11月25日 周三").contains("12月6日 周日")
          .contains("data-item=\"2026-W48/wed-moment\"").contains("冬季护牙").contains("员工已确认")
          .contains("data-item=\"2026-W48/mon-group\"").contains("已错过")
          .contains("data-item=\"2026-W49/next-fri\"").contains("待发送")
          .doesNotContain("已移除的任务").doesNotContain("太远的任务")
          .contains("moments[2].senders: unknown account &quot;dr-li&quot;")
          .contains("unknown key &quot;txet&quot;");
      assertThat(html.indexOf("2026-W49/next-fri")).isGreaterThan(html.indexOf("<h2>下周</h2>"));
    }
  }

  @Test
  void patientsShowsLayersChannelsAndConversionsAsSvgCharts() throws Exception {
    try (TestServer server = start()) {
      long now = server.clock().millis();
      seed(server)
          .contact("wm1", "张三", "meituan", "intent", now).contact("wm2", "李四", "meituan", "ordered", now)
          .contact("wm3", "王五", "douyin", "stranger", now)
          .layerChange("wm1", "stranger", "potential", now).layerChange("wm1", "potential", "intent", now)
          .layerChange("wm2", "stranger", "potential", now).layerChange("wm2", "potential", "intent", now)
          .layerChange("wm2", "intent", "ordered", now);

      String html = page(server, "/admin/layers");

      assertThat(html).contains("id=\"patients-total\">3</strong>")
          .contains("<svg class=\"chart\"").contains("各分层人数").contains("美团").contains("抖音")
          .doesNotContain(">meituan<")
          // stranger: 3 ever, 2 moved on (67%); intent: 2 ever, 1 moved on (50%).
          .contains("<td>陌生 → 潜在</td><td class=\"num\">3</td><td class=\"num\">2</td><td class=\"num\">67%</td>")
          .contains("<td>意向 → 已下单</td><td class=\"num\">2</td><td class=\"num\">1</td><td class=\"num\">50%</td>");
    }
  }

  @Test
  void referralsRankTheTopReferrersAndBadgeTheTopNAsKoc() throws Exception {
    try (TestServer server = TestServer.builder().without("sop", "campaigns").clock(new MutableClock(NOON)).start()) {
      Path tags = server.configDir().resolve("tags.yaml");
      Files.writeString(tags, Files.readString(tags).replace("top_referrers: 50", "top_referrers: 1"));
      server.restart();
      long now = server.clock().millis();
      seed(server).contact("wmTop", "赵老师", "referral", "super", now).contact("wmSecond", "钱女士", "referral", "repeat", now)
          .referral("r1", "wmTop", now).referral("r2", "wmTop", now).referral("r3", "wmTop", now)
          .referral("r4", "wmSecond", now);

      String html = page(server, "/admin/referrals");

      assertThat(html).contains("累计转介绍 <strong>4</strong>").contains("前 1 名");
      assertThat(html.indexOf("赵老师")).isLessThan(html.indexOf("钱女士"));
      String top = html.substring(html.indexOf("赵老师"), html.indexOf("钱女士"));
      assertThat(top).contains("<span class=\"badge\">KOC</span>").contains("<td class=\"num\">3</td>");
      assertThat(html.substring(html.indexOf("钱女士"))).doesNotContain("badge\">KOC");
    }
  }

  @Test
  void handoffsShowOpenOnesWithAgeAndDoctorAndRecentClosedOnes() throws Exception {
    try (TestServer server = start()) {
      long now = server.clock().millis();
      seed(server).contact("wmA", "孙先生", "meituan", "intent", now)
          .handoff("wmA", "dr-chen", "escalated", now - 26 * HOUR, null, 2)
          .handoff("wmB", null, "open", now - 5 * 60_000L, null, 0)
          .handoff("wmC", "dr-wang", "closed", now - 3 * HOUR, now - 2 * HOUR, 0)
          .handoff("wmD", "dr-wang", "closed", now - 10 * 24 * HOUR, now - 10 * 24 * HOUR, 0);

      String html = page(server, "/admin/handoffs");

      assertThat(html).contains("进行中（2）").contains("孙先生").contains("陈医生").contains("已升级")
          .contains("升级 2 次").contains("1 天 2 小时").contains("未分配").contains("5 分")
          .contains("wmC").contains("王医生").doesNotContain("wmD");
    }
  }

  @Test
  void outboxListsFailedActionsWithErrcodeAndRetryRequeuesOne() throws Exception {
    try (TestServer server = start()) {
      long now = server.clock().millis();
      ConsoleSeed seed = seed(server);
      long failed = seed.outbox("welcome:9", "welcome", "failed", 41051, "externaluser has started chatting", now);
      long uncertain = seed.outbox("sop:1", "sop", "uncertain", null, "interrupted while sending; not resent", now);
      seed.outbox("welcome:ok", "welcome", "sent", null, null, now);
      seed.deadCallback("dead-1", "event/change_external_contact/del_follow_user", now);
      ConsoleClient browser = new ConsoleClient(server);
      browser.login(TestServer.ADMIN_TOKEN);

      String html = browser.get("/admin/outbox").body();
      assertThat(html).contains("id=\"outbox-" + failed + "\"").contains("欢迎语").contains("失败")
          .contains("id=\"outbox-" + uncertain + "\"").contains("结果不明").contains("可能已送达")
          .doesNotContain("41051").doesNotContain("死信").doesNotContain("send_welcome_msg").doesNotContain("welcome:ok");
      // Errcodes and dead letters are on 运维.
      assertThat(browser.get("/admin/ops").body()).contains("id=\"ops-outbox-" + failed + "\"").contains("41051")
          .contains("send_welcome_msg").contains("event/change_external_contact/del_follow_user").contains("handler refused");

      HttpResponse<String> reply = browser.postForm("/admin/outbox/" + failed + "/retry",
          "csrf=" + browser.csrfFrom("/admin/outbox"));

      assertThat(reply.statusCode()).isEqualTo(303);
      assertThat(reply.headers().firstValue("Location")).hasValue("/admin/outbox?retried=" + failed);
      OutboxRepository outbox = server.wiring().foundation().outbox().repository();
      TestServer.awaitUntil(() -> "sent".equals(outbox.find(failed).orElseThrow().status()));
      assertThat(browser.get("/admin/outbox?retried=" + failed).body()).contains("已重新排队：#" + failed);
    }
  }

  @Test
  void retryingASentActionIsRefusedAndSaysSo() throws Exception {
    try (TestServer server = start()) {
      long sent = seed(server).outbox("welcome:ok", "welcome", "sent", null, null, server.clock().millis());

      HttpResponse<String> api = server.post("/admin/api/outbox/" + sent + "/retry", "", TestServer.admin());

      assertThat(api.statusCode()).isEqualTo(200);
      assertThat(api.body()).contains("\"requeued\":false");
      assertThat(server.wiring().foundation().outbox().repository().find(sent).orElseThrow().status()).isEqualTo("sent");
    }
  }

  @Test
  void apiListsActionsThatGaveUp() throws Exception {
    try (TestServer server = start()) {
      seed(server).outbox("welcome:9", "welcome", "expired", 45009, "api freq out of limit", server.clock().millis());

      HttpResponse<String> api = server.get("/admin/api/outbox", TestServer.admin());

      assertThat(api.statusCode()).isEqualTo(200);
      assertThat(api.body()).contains("\"errcode\":\"45009\"").contains("\"status\":\"expired\"");
    }
  }

  @Test
  void patientTextsAreEscapedNotInterpreted() throws Exception {
    try (TestServer server = start()) {
      long now = server.clock().millis();
      seed(server).contact("wmX", "<script>alert(1)</script>", "<b>chan</b>", "intent", now)
          .sopItem("2026-W48", "x", "moment", now + HOUR, "<img src=x onerror=alert(1)>", "scheduled")
          .handoff("wmX", "dr-wang", "open", now, null, 0);

      assertThat(page(server, "/admin/handoffs")).doesNotContain("<script>alert").contains("&lt;script&gt;");
      assertThat(page(server, "/admin/layers")).doesNotContain("<b>chan</b>").contains("&lt;b&gt;chan&lt;/b&gt;");
      assertThat(page(server, "/admin/patients")).doesNotContain("<script>alert").contains("&lt;script&gt;");
      assertThat(page(server, "/admin/patients/wmX")).doesNotContain("<script>alert").contains("&lt;script&gt;");
      assertThat(page(server, "/admin/week")).doesNotContain("<img src=x").contains("&lt;img src=x");
    }
  }

  @Test
  void pagesRenderWithEmptyTables() throws Exception {
    try (TestServer server = start()) {
      server.clock().advance(Duration.ofMinutes(1));
      for (String path : ConsoleAccessIT.PAGES) {
        assertThat(page(server, path)).as(path).contains("</html>");
      }
    }
  }
}
