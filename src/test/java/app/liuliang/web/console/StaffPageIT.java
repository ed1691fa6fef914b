package app.liuliang.web.console;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.app.Settings;
import app.liuliang.testing.MutableClock;
import app.liuliang.testing.TestServer;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * The 员工 page and the liuliang_staff_* gauges over real HTTP: WeCom's figures as the start-up fetch
 * stored them from WireMock, Liuliang's own from seeded hand-offs and referrals.
 */
class StaffPageIT {

  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
  /** Wednesday 2026-11-25 12:00 in Shanghai. */
  private static final Instant NOON = Instant.parse("2026-11-25T04:00:00Z");
  private static final LocalDate TODAY = LocalDate.of(2026, 11, 25);
  private static final String API = "/cgi-bin/externalcontact/get_user_behavior_data";
  private static final long MINUTE = 60_000L;

  private static long midnight(LocalDate day) {
    return day.atStartOfDay(SHANGHAI).toEpochSecond();
  }

  private static String day(LocalDate day, int contacts, int apply, int chats, int messages, String replyFields,
      int deletions) {
    return "{\"stat_time\":" + midnight(day) + ",\"new_contact_cnt\":" + contacts + ",\"new_apply_cnt\":" + apply
        + ",\"chat_cnt\":" + chats + ",\"message_cnt\":" + messages + replyFields + ",\"negative_feedback_cnt\":" + deletions + "}";
  }

  /** WeCom's figures for the last window of the first fetch (10/27 to 11/24). */
  private static WireMockServer wecom() {
    WireMockServer wecom = TestServer.startWeCom();
    wecom.stubFor(post(urlPathEqualTo(API)).atPriority(8).willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\",\"behavior_data\":[]}")));
    String lastWindow = String.valueOf(midnight(TODAY.minusDays(29)));
    wecom.stubFor(post(urlPathEqualTo(API)).atPriority(2)
        .withRequestBody(matchingJsonPath("$.userid[0]", equalTo("assistant-lily")))
        .withRequestBody(matchingJsonPath("$.start_time", equalTo(lastWindow)))
        .willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\",\"behavior_data\":["
            + day(TODAY.minusDays(1), 7, 1, 10, 33, ",\"reply_percentage\":90.0,\"avg_reply_time\":4", 1) + ","
            + day(TODAY.minusDays(2), 3, 0, 10, 25, ",\"reply_percentage\":70.0,\"avg_reply_time\":8", 0) + "]}")));
    wecom.stubFor(post(urlPathEqualTo(API)).atPriority(2)
        .withRequestBody(matchingJsonPath("$.userid[0]", equalTo("dr-wang")))
        .withRequestBody(matchingJsonPath("$.start_time", equalTo(lastWindow)))
        .willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\",\"behavior_data\":[" + day(TODAY.minusDays(1), 2, 0, 0, 0, "", 0) + "]}")));
    return wecom;
  }

  private static void awaitFetched(TestServer server, int staff) {
    TestServer.awaitUntil(() -> ((Number) server.rows("SELECT COUNT(*) AS n FROM staff_figure_fetches "
        + "WHERE fetched_through = ? AND lease_owner IS NULL", TODAY.minusDays(1).toString()).get(0).get("n")).intValue() == staff);
  }

  /** Hand-offs dr-wang claimed after 2, 4 and 30 minutes (and one 40 days ago); referrals to 小美 and to someone unknown. */
  private static void seed(TestServer server) {
    Jdbi jdbi = server.wiring().foundation().database().jdbi();
    long now = server.clock().millis();
    jdbi.useHandle(h -> {
      long[] waits = {2, 4, 30};
      for (int i = 0; i < waits.length; i++) {
        long opened = now - (i + 1) * 60 * MINUTE;
        h.execute("INSERT INTO handoffs (external_userid, doctor_userid, state, reason, opened_at, claimed_at) "
            + "VALUES (?, 'dr-wang', 'claimed', '患者询问种植费用', ?, ?)", "wmH" + i, opened, opened + waits[i] * MINUTE);
      }
      h.execute("INSERT INTO handoffs (external_userid, doctor_userid, state, reason, opened_at, claimed_at) "
          + "VALUES ('wmOld', 'dr-wang', 'closed', 'r', ?, ?)", now - 40 * 1440 * MINUTE, now - 40 * 1440 * MINUTE + MINUTE);
      h.execute("INSERT INTO handoffs (external_userid, doctor_userid, state, reason, opened_at) "
          + "VALUES ('wmOpen', 'dr-chen', 'notified', 'r', ?)", now - MINUTE);
      for (String[] r : new String[][] {{"wmR1", "assistant-lily"}, {"wmR2", "assistant-lily"}, {"wmR3", "zhang-san"}}) {
        h.execute("INSERT INTO contact_follows (external_userid, userid, state, added_at) VALUES (?, ?, 'ref:K7QM2X', ?)",
            r[0], r[1], now - 120 * MINUTE);
        h.execute("INSERT INTO referrals (referee_external_userid, referrer_external_userid, code, created_at) "
            + "VALUES (?, 'wmKOC', 'K7QM2X', ?)", r[0], now - 120 * MINUTE);
      }
      // Added through another code: no referral of anyone's.
      h.execute("INSERT INTO contact_follows (external_userid, userid, state, added_at) VALUES ('wmX', 'dr-wang', 'meituan', ?)",
          now);
    });
  }

  private static final Pattern TAG = Pattern.compile("<[^>]+>");

  /** The cells of the 员工 table's row for {@code name}, as text. */
  private static List<String> row(String html, String name) {
    Matcher m = Pattern.compile("<tr>\\s*<td>" + Pattern.quote(name) + "(.*?)</tr>", Pattern.DOTALL).matcher(html);
    assertThat(m.find()).as("a row for %s", name).isTrue();
    List<String> cells = new ArrayList<>();
    Matcher cell = Pattern.compile("<td class=\"num\">(.*?)</td>", Pattern.DOTALL).matcher(m.group(1));
    while (cell.find()) {
      cells.add(TAG.matcher(cell.group(1)).replaceAll("").trim());
    }
    return cells;
  }

  private static String page(TestServer server, String path) throws Exception {
    HttpResponse<String> reply = server.get(path, TestServer.admin());
    assertThat(reply.statusCode()).as(path).isEqualTo(200);
    return reply.body();
  }

  @Test
  void staffByTheirNamesWithWeComsAndLiuliangsFiguresAndAChartForAnyPeriod() throws Exception {
    WireMockServer wecom = wecom();
    try (TestServer server = TestServer.builder().wecom(wecom).without("sop", "campaigns").clock(new MutableClock(NOON)).start()) {
      awaitFetched(server, 3);
      seed(server);

      HttpResponse<String> anonymous = server.get("/admin/staff");
      assertThat(anonymous.statusCode()).isEqualTo(303);
      assertThat(anonymous.headers().firstValue("Location")).hasValue("/admin/login");
      assertThat(anonymous.body()).doesNotContain("小美");

      String html = page(server, "/admin/staff");
      assertThat(html).contains("<a href=\"/admin/staff\" class=\"on\">员工</a>").contains("10/27 至 11/25（30 天）");
      // 新增客户, 发起申请, 聊天数, 发送消息, 已回复聊天占比, 平均首次回复, 删除/拉黑, 认领转接, 认领用时（中位/平均）, 推荐新客
      assertThat(row(html, "小美")).containsExactly("10", "1", "20", "58", "80%", "6 分钟", "1", "0", "—", "—", "2");
      assertThat(row(html, "王医生")).containsExactly("2", "0", "0", "0", "—", "—", "0", "3", "4 分钟", "12 分钟", "0");
      assertThat(row(html, "陈医生")).containsExactly("0", "0", "0", "0", "—", "—", "0", "0", "—", "—", "0");
      assertThat(row(html, "其他员工")).containsExactly("0", "0", "0", "0", "—", "—", "0", "0", "—", "—", "1");
      assertThat(html).contains("<svg class=\"chart\"").contains("<title>每天新增客户（按员工）</title>")
          .contains("<title>小美 11/24：7</title>").contains("<title>小美 11/23：3</title>")
          .contains("<title>王医生 11/24：2</title>").contains("<title>陈医生 11/24：0</title>");
      assertThat(html).as("names from accounts.yaml, never userids")
          .doesNotContain("assistant-lily").doesNotContain("dr-wang").doesNotContain("zhang-san");

      // One day; a date that is no date falls back to the last 30 days; a long period is charted per week.
      String oneDay = page(server, "/admin/staff?from=2026-11-24&to=2026-11-24");
      assertThat(oneDay).contains("11/24 至 11/24（1 天）");
      assertThat(row(oneDay, "小美")).startsWith("7", "1", "10", "33", "90%", "4 分钟", "1", "0");
      assertThat(page(server, "/admin/staff?from=yesterday")).contains("10/27 至 11/25（30 天）");
      String halfYear = page(server, "/admin/staff?from=2026-01-01&to=2026-12-31");
      assertThat(halfYear).contains("5/30 至 11/25（180 天）").contains("<title>每周新增客户（按员工）</title>");
      assertThat(row(halfYear, "小美").get(0)).isEqualTo("10");
    }
  }

  @Test
  void metricsCarryEachStaffMembersFiguresUnderTheirName() throws Exception {
    WireMockServer wecom = wecom();
    try (TestServer server = TestServer.builder().wecom(wecom).without("sop", "campaigns").clock(new MutableClock(NOON)).start()) {
      awaitFetched(server, 3);
      seed(server);

      String metrics = server.get("/metrics").body();

      assertThat(metrics)
          .contains("liuliang_staff_new_contacts{staff=\"小美\",userid=\"assistant-lily\"} 10.0")
          .contains("liuliang_staff_new_applies{staff=\"小美\",userid=\"assistant-lily\"} 1.0")
          .contains("liuliang_staff_chats{staff=\"小美\",userid=\"assistant-lily\"} 20.0")
          .contains("liuliang_staff_messages{staff=\"小美\",userid=\"assistant-lily\"} 58.0")
          .contains("liuliang_staff_reply_percent{staff=\"小美\",userid=\"assistant-lily\"} 80.0")
          .contains("liuliang_staff_avg_reply_minutes{staff=\"小美\",userid=\"assistant-lily\"} 6.0")
          .contains("liuliang_staff_deletions{staff=\"小美\",userid=\"assistant-lily\"} 1.0")
          .contains("liuliang_staff_referrals{staff=\"小美\",userid=\"assistant-lily\"} 2.0")
          .contains("liuliang_staff_new_contacts{staff=\"王医生\",userid=\"dr-wang\"} 2.0")
          .contains("liuliang_staff_reply_percent{staff=\"王医生\",userid=\"dr-wang\"} NaN")
          .contains("liuliang_staff_handoffs_claimed{staff=\"王医生\",userid=\"dr-wang\"} 3.0")
          .contains("liuliang_staff_claim_median_seconds{staff=\"王医生\",userid=\"dr-wang\"} 240.0")
          .contains("liuliang_staff_claim_mean_seconds{staff=\"王医生\",userid=\"dr-wang\"} 720.0")
          .contains("liuliang_staff_handoffs_claimed{staff=\"陈医生\",userid=\"dr-chen\"} 0.0")
          .contains("liuliang_staff_referrals{staff=\"其他员工\",userid=\"others\"} 1.0")
          .contains("liuliang_staff_figures_failures_total 0.0");
    }
  }

  @Test
  void theSandboxAnswersBehaviourDataSoASandboxServerShowsFigures() throws Exception {
    try (TestServer server = TestServer.builder().env(Settings.ADMIN_TOKEN, "").env(Settings.CORP_ID, "").start()) {
      TestServer.awaitUntil(() -> ((Number) server.rows("SELECT COUNT(*) AS n FROM staff_figure_fetches "
          + "WHERE fetched_through IS NOT NULL AND lease_owner IS NULL").get(0).get("n")).intValue() == 3);
      assertThat(((Number) server.rows("SELECT COUNT(*) AS n FROM staff_figures").get(0).get("n")).intValue())
          .as("179 days for each of the three accounts").isEqualTo(3 * 179);

      String html = new ConsoleClient(server).get("/admin/staff").body();
      List<String> lily = row(html, "小美");
      assertThat(Integer.parseInt(lily.get(2))).as("chats in the 29 days WeCom has").isGreaterThanOrEqualTo(29 * 4);
      assertThat(lily.get(4)).endsWith("%");
      assertThat(html).contains("<title>每天新增客户（按员工）</title>");
    }
  }
}
