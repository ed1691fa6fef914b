package app.liuliang.web.console;

import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.testing.MutableClock;
import app.liuliang.testing.TestServer;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * The console as the operator's workplace, over HTTP as a browser uses it: the patient list's
 * search, filters and paging; a patient's page; tags and the opt-out toggle through their owners
 * (outbox rows, an audit row); the hand-off desk's claim, answer, reassign and close; CSRF on every form.
 */
class PatientWorkplaceIT {

  private static TestServer start() throws Exception {
    return TestServer.builder().without("sop", "campaigns").clock(new MutableClock(ConsolePagesIT.NOON)).start();
  }

  private static Jdbi jdbi(TestServer server) {
    return server.wiring().foundation().database().jdbi();
  }

  private static ConsoleClient signedIn(TestServer server) throws Exception {
    ConsoleClient browser = new ConsoleClient(server);
    assertThat(browser.login(TestServer.ADMIN_TOKEN).statusCode()).isEqualTo(303);
    return browser;
  }

  private static String q(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  private static long count(TestServer server, String sql, Object... args) {
    return jdbi(server).withHandle(h -> {
      var query = h.createQuery(sql);
      for (int i = 0; i < args.length; i++) {
        query.bind(i, args[i]);
      }
      return query.mapTo(Long.class).one();
    });
  }

  @Test
  void searchFindsPatientsByNamePhoneReferralCodeAndIdAndFiltersThem() throws Exception {
    try (TestServer server = start()) {
      long now = server.clock().millis();
      new ConsoleSeed(jdbi(server))
          .contact("wmZhang", "张三", "meituan", "intent", now).contactDetails("wmZhang", "13800001111", "east", "ZS2345")
          .contact("wmLi", "李四", "douyin", "ordered", now - 1000).contactDetails("wmLi", "13900002222", "main", "LS2345")
          .contact("wmWang", "王五", "meituan", "stranger", now - 2000)
          .tag("wmLi", "需求-种植", now).follow("wmLi", "dr-chen", now).follow("wmZhang", "dr-wang", now);
      jdbi(server).useHandle(h -> h.execute("UPDATE contacts SET opted_out = 1 WHERE external_userid = 'wmWang'"));
      ConsoleClient browser = signedIn(server);

      assertThat(found(browser, "q=" + q("张"))).containsExactly("wmZhang");
      assertThat(found(browser, "q=0002222")).containsExactly("wmLi");
      assertThat(found(browser, "q=zs2345")).containsExactly("wmZhang");
      assertThat(found(browser, "q=wmWang")).containsExactly("wmWang");
      jdbi(server).useHandle(h -> h.execute("UPDATE contact_follows SET remark = '老客户-种植意向' WHERE external_userid = 'wmLi'"));
      assertThat(found(browser, "q=" + q("种植意向"))).as("by the staff's remark").containsExactly("wmLi");
      assertThat(found(browser, "q=" + q("%"))).isEmpty();
      assertThat(found(browser, "")).containsExactly("wmZhang", "wmLi", "wmWang");
      assertThat(found(browser, "layer=ordered")).containsExactly("wmLi");
      assertThat(found(browser, "channel=meituan")).containsExactly("wmZhang", "wmWang");
      assertThat(found(browser, "store=east")).containsExactly("wmZhang");
      assertThat(found(browser, "tag=" + q("需求-种植"))).containsExactly("wmLi");
      assertThat(found(browser, "doctor=dr-wang")).containsExactly("wmZhang");
      assertThat(found(browser, "opted_out=1")).containsExactly("wmWang");
      assertThat(found(browser, "opted_out=0&channel=meituan")).containsExactly("wmZhang");
      assertThat(found(browser, "sort=name")).hasSize(3);

      String html = browser.get("/admin/patients?q=" + q("张三")).body();
      // Config names, never ids; names link to the patient's page.
      assertThat(html).contains("<td>美团</td>").contains("<td>城东分院</td>").contains("<td>意向</td>")
          .contains("href=\"/admin/patients/wmZhang\">张三</a>").doesNotContain("<td>meituan</td>");
    }
  }

  @Test
  void theListIsPagedFiftyAtATime() throws Exception {
    try (TestServer server = start()) {
      long now = server.clock().millis();
      ConsoleSeed seed = new ConsoleSeed(jdbi(server));
      for (int i = 0; i < 120; i++) {
        seed.contact(String.format("wm%03d", i), "患者" + i, "douyin", "stranger", now - i * 1000L);
      }
      ConsoleClient browser = signedIn(server);

      List<String> first = found(browser, "channel=douyin");
      List<String> third = found(browser, "channel=douyin&page=3");

      assertThat(first).hasSize(50).startsWith("wm000");
      assertThat(third).hasSize(20).startsWith("wm100").endsWith("wm119");
      String html = browser.get("/admin/patients?channel=douyin&page=2").body();
      assertThat(html).contains("第 2 / 3 页").contains("id=\"patients-found\">120<")
          .contains("href=\"/admin/patients?channel=douyin&page=3\"");
      assertThat(found(browser, "channel=douyin&page=99")).hasSize(20);
    }
  }

  @Test
  void aPatientsPageShowsTheProfileAndATimelineOfWhatTheyWrote() throws Exception {
    try (TestServer server = start()) {
      long now = server.clock().millis();
      long hour = ConsolePagesIT.HOUR;
      ConsoleSeed seed = new ConsoleSeed(jdbi(server))
          .contact("wmZhang", "张三", "meituan", "intent", now - 5 * hour).contactDetails("wmZhang", "13800001111", "east", "ZS2345")
          .contact("wmFriend", "小王", "referral", "potential", now - hour)
          .follow("wmZhang", "dr-wang", now).tag("wmZhang", "需求-种植", now)
          .layerChange("wmZhang", "stranger", "intent", now - 2 * hour)
          .referral("wmFriend", "wmZhang", now - hour)
          .message("wmZhang", "in", "种牙大概多少钱？", now - 3 * hour)
          .message("wmZhang", "out", "您好，种植牙的费用要看具体情况", now - 3 * hour + 1000);
      seed.kfHandoff("wmZhang", "dr-chen", "notified", "implant", now - 3 * hour);
      jdbi(server).useHandle(h -> h.execute("INSERT INTO contact_activities (external_userid, type, subtype, at) "
          + "VALUES ('wmZhang', 'visit', 'cleaning', ?)", now - 4 * hour));
      jdbi(server).useHandle(h -> {
        h.execute("INSERT INTO group_chats (chat_id, name, owner, category, status, updated_at) "
            + "VALUES ('wrVip', '种植VIP一群', 'assistant-lily', '种植VIP群', 'active', ?)", now);
        h.execute("INSERT INTO group_members (chat_id, member_id, type, join_time) VALUES ('wrVip', 'wmZhang', 2, ?)", now - hour);
      });
      ConsoleClient browser = signedIn(server);

      HttpResponse<String> reply = browser.get("/admin/patients/wmZhang");
      assertThat(reply.body()).contains("客户群（1）").contains("种植VIP一群").contains("在群中");

      assertThat(reply.statusCode()).isEqualTo(200);
      assertThat(reply.body()).contains("张三").contains("13800001111").contains("美团").contains("城东分院")
          .contains("王医生").contains("需求-种植").contains("ZS2345").contains("已推荐 1 人")
          .contains("href=\"/admin/patients/wmFriend\">小王</a>")
          .contains("种牙大概多少钱？").contains("您好，种植牙的费用要看具体情况")
          .contains("href=\"/admin/handoffs/").contains("种植咨询 → 陈医生").contains("到诊")
          .doesNotContain("intent implant");
      // Newest first: the reply comes before the question, the question before the visit.
      String body = reply.body();
      assertThat(body.indexOf("您好，种植牙")).isLessThan(body.indexOf("种牙大概多少钱"));
      assertThat(body.indexOf("种牙大概多少钱")).isLessThan(body.indexOf("到诊"));
      assertThat(browser.get("/admin/patients/wmNobody").statusCode()).isEqualTo(404);
    }
  }

  @Test
  void addingAndRemovingATagGoesThroughTheOutboxForEveryFollower() throws Exception {
    try (TestServer server = start()) {
      long now = server.clock().millis();
      new ConsoleSeed(jdbi(server)).contact("wmZhang", "张三", "meituan", "intent", now)
          .follow("wmZhang", "dr-wang", now).follow("wmZhang", "assistant-lily", now);
      ConsoleClient browser = signedIn(server);
      String csrf = browser.csrfFrom("/admin/patients/wmZhang");

      HttpResponse<String> added = browser.postForm("/admin/patients/wmZhang/tags", "csrf=" + csrf + "&tag=" + q("需求-正畸"));

      assertThat(added.statusCode()).isEqualTo(303);
      assertThat(added.headers().firstValue("Location")).hasValue("/admin/patients/wmZhang?done=tagged");
      assertThat(count(server, "SELECT COUNT(*) FROM contact_tags WHERE external_userid = 'wmZhang' AND tag_name = ? "
          + "AND source = 'staff'", "需求-正畸")).isEqualTo(1);
      assertThat(count(server, "SELECT COUNT(*) FROM outbox WHERE api = '/cgi-bin/externalcontact/mark_tag' "
          + "AND body LIKE '%tag-需求-正畸%' AND body LIKE '%add_tag%'")).isEqualTo(2);
      assertThat(browser.get("/admin/patients/wmZhang?done=tagged").body()).contains("已加标签");

      browser.postForm("/admin/patients/wmZhang/tags/remove", "csrf=" + csrf + "&tag=" + q("需求-正畸"));
      assertThat(count(server, "SELECT COUNT(*) FROM contact_tags WHERE external_userid = 'wmZhang'")).isZero();
      assertThat(count(server, "SELECT COUNT(*) FROM outbox WHERE api = '/cgi-bin/externalcontact/mark_tag' "
          + "AND body LIKE '%remove_tag%'")).isEqualTo(2);

      HttpResponse<String> unknown = browser.postForm("/admin/patients/wmZhang/tags", "csrf=" + csrf + "&tag=nope");
      assertThat(unknown.headers().firstValue("Location")).hasValue("/admin/patients/wmZhang?done=tag-unknown");
    }
  }

  @Test
  void theOptOutToggleRecordsWhoAndWhyAndTagsThePatient() throws Exception {
    try (TestServer server = start()) {
      long now = server.clock().millis();
      new ConsoleSeed(jdbi(server)).contact("wmZhang", "张三", "meituan", "intent", now).follow("wmZhang", "dr-wang", now);
      ConsoleClient browser = signedIn(server);
      String csrf = browser.csrfFrom("/admin/patients/wmZhang");

      HttpResponse<String> noReason = browser.postForm("/admin/patients/wmZhang/opt-out",
          "csrf=" + csrf + "&opted_out=1&actor=operator&reason=");
      assertThat(noReason.headers().firstValue("Location")).hasValue("/admin/patients/wmZhang?done=opt-needs-reason");
      assertThat(count(server, "SELECT opted_out FROM contacts WHERE external_userid = 'wmZhang'")).isZero();

      browser.postForm("/admin/patients/wmZhang/opt-out",
          "csrf=" + csrf + "&opted_out=1&actor=assistant-lily&reason=" + q("患者电话里要求不再接收活动消息"));
      browser.postForm("/admin/patients/wmZhang/opt-out",
          "csrf=" + csrf + "&opted_out=1&actor=assistant-lily&reason=" + q("重复提交"));

      assertThat(count(server, "SELECT opted_out FROM contacts WHERE external_userid = 'wmZhang'")).isEqualTo(1);
      assertThat(count(server, "SELECT COUNT(*) FROM opt_out_changes WHERE external_userid = 'wmZhang' "
          + "AND actor = 'assistant-lily' AND opted_out = 1")).isEqualTo(1);
      assertThat(count(server, "SELECT COUNT(*) FROM contact_tags WHERE tag_name = ?", "已退订")).isEqualTo(1);
      assertThat(browser.get("/admin/patients/wmZhang").body()).contains("患者电话里要求不再接收活动消息")
          .contains("小美").contains("恢复订阅");

      browser.postForm("/admin/patients/wmZhang/opt-out", "csrf=" + csrf + "&opted_out=0&actor=operator&reason=" + q("患者又同意了"));
      assertThat(count(server, "SELECT opted_out FROM contacts WHERE external_userid = 'wmZhang'")).isZero();
      assertThat(count(server, "SELECT COUNT(*) FROM contact_tags WHERE tag_name = ?", "已退订")).isZero();
      assertThat(count(server, "SELECT COUNT(*) FROM opt_out_changes")).isEqualTo(2);
    }
  }

  @Test
  void theHandoffDeskClaimsAnswersReassignsAndClosesWithTheCardsStateMachine() throws Exception {
    try (TestServer server = start()) {
      long now = server.clock().millis();
      ConsoleSeed seed = new ConsoleSeed(jdbi(server)).contact("wmZhang", "张三", "meituan", "intent", now)
          .message("wmZhang", "in", "拔牙后一直出血怎么办", now - 60_000);
      long id = seed.kfHandoff("wmZhang", "dr-wang", "notified", "pain", now - 60_000);
      ConsoleClient browser = signedIn(server);
      String page = "/admin/handoffs/" + id;
      String html = browser.get(page).body();
      assertThat(html).contains("拔牙后一直出血怎么办").contains("疼痛/急症").contains("已通知医生").contains("接手");
      String csrf = browser.csrfFrom(page);

      // Answering before the claim is refused: the session is not theirs yet.
      assertThat(browser.postForm(page + "/answer", "csrf=" + csrf + "&as=dr-wang&nonce=n1&text=" + q("您好"))
          .headers().firstValue("Location")).hasValue(page + "?done=not-theirs");

      assertThat(browser.postForm(page + "/claim", "csrf=" + csrf + "&as=dr-wang").headers().firstValue("Location"))
          .hasValue(page + "?done=claimed");
      assertThat(browser.postForm(page + "/claim", "csrf=" + csrf + "&as=dr-chen").headers().firstValue("Location"))
          .hasValue(page + "?done=moved-on");
      assertThat(count(server, "SELECT COUNT(*) FROM handoffs WHERE state = 'claimed' AND doctor_userid = 'dr-wang'"))
          .isEqualTo(1);

      String form = browser.get(page).body();
      assertThat(form).contains("以 王医生 的身份回复患者");
      String nonce = form.replaceAll("(?s).*name=\"nonce\" value=\"([0-9a-f]+)\".*", "$1");
      String answer = "csrf=" + csrf + "&as=dr-wang&nonce=" + nonce + "&text=" + q("请用干净纱布压住伤口 30 分钟");
      browser.postForm(page + "/answer", answer);
      browser.postForm(page + "/answer", answer);
      assertThat(count(server, "SELECT COUNT(*) FROM outbox WHERE api = '/cgi-bin/kf/send_msg' AND purpose = 'handoff.answer' "
          + "AND body LIKE '%纱布%'")).isEqualTo(1);
      assertThat(count(server, "SELECT COUNT(*) FROM messages WHERE direction = 'out' AND content LIKE '%纱布%'")).isEqualTo(1);
      assertThat(browser.postForm(page + "/answer", "csrf=" + csrf + "&as=dr-chen&nonce=n2&text=" + q("我来"))
          .headers().firstValue("Location")).hasValue(page + "?done=not-theirs");

      browser.postForm(page + "/reassign", "csrf=" + csrf + "&as=dr-wang&to=dr-chen");
      assertThat(count(server, "SELECT COUNT(*) FROM handoffs WHERE state = 'notified' AND doctor_userid = 'dr-chen'"))
          .isEqualTo(1);
      assertThat(count(server, "SELECT COUNT(*) FROM outbox WHERE purpose = 'handoff.card' AND body LIKE '%dr-chen%'"))
          .isEqualTo(1);
      assertThat(count(server, "SELECT COUNT(*) FROM outbox WHERE purpose = 'handoff.transfer' AND body LIKE '%dr-chen%'"))
          .isEqualTo(1);

      browser.postForm(page + "/close", "csrf=" + csrf + "&as=dr-chen");
      assertThat(count(server, "SELECT COUNT(*) FROM handoffs WHERE state = 'closed' AND closed_at IS NOT NULL")).isEqualTo(1);
      assertThat(count(server, "SELECT COUNT(*) FROM outbox WHERE purpose = 'handoff.end_session' "
          + "AND body LIKE '%\"service_state\":4%'")).isEqualTo(1);
      assertThat(browser.postForm(page + "/close", "csrf=" + csrf + "&as=dr-chen").headers().firstValue("Location"))
          .hasValue(page + "?done=moved-on");

      String record = browser.get(page).body();
      assertThat(record).contains("已结束").contains("接手").contains("回复患者").contains("转给其他医生").contains("结束")
          .contains("王医生").contains("陈医生").contains("控制台");
      assertThat(count(server, "SELECT COUNT(*) FROM handoff_actions WHERE handoff_id = ?", id)).isEqualTo(4);
      assertThat(browser.postForm(page + "/claim", "csrf=" + csrf + "&as=nobody").headers().firstValue("Location"))
          .hasValue(page + "?done=unknown-staff");
      assertThat(browser.get("/admin/handoffs/99999").statusCode()).isEqualTo(404);
    }
  }

  @Test
  void everyWorkplaceFormNeedsTheSessionsCsrfTokenAndEveryPageASignIn() throws Exception {
    try (TestServer server = start()) {
      long now = server.clock().millis();
      ConsoleSeed seed = new ConsoleSeed(jdbi(server)).contact("wmZhang", "张三", "meituan", "intent", now)
          .follow("wmZhang", "dr-wang", now);
      long id = seed.kfHandoff("wmZhang", "dr-wang", "notified", "pain", now);
      for (String path : List.of("/admin/patients", "/admin/patients/wmZhang", "/admin/handoffs/" + id)) {
        HttpResponse<String> reply = server.get(path);
        assertThat(reply.statusCode()).as(path).isEqualTo(303);
        assertThat(reply.headers().firstValue("Location")).as(path).hasValue("/admin/login");
        assertThat(server.get(path, TestServer.admin()).statusCode()).as(path).isEqualTo(200);
      }
      ConsoleClient browser = signedIn(server);
      String forms = browser.get("/admin/patients/wmZhang").body() + browser.get("/admin/handoffs/" + id).body();
      assertThat(forms.split("<form method=\"post\"").length - 1)
          .isEqualTo(forms.split("<input type=\"hidden\" name=\"csrf\" value=\"").length - 1);
      List<String[]> posts = List.of(
          new String[] {"/admin/patients/wmZhang/tags", "tag=" + q("需求-正畸")},
          new String[] {"/admin/patients/wmZhang/tags/remove", "tag=" + q("需求-正畸")},
          new String[] {"/admin/patients/wmZhang/opt-out", "opted_out=1&actor=operator&reason=x"},
          new String[] {"/admin/handoffs/" + id + "/claim", "as=dr-wang"},
          new String[] {"/admin/handoffs/" + id + "/reassign", "as=dr-wang&to=dr-chen"},
          new String[] {"/admin/handoffs/" + id + "/close", "as=dr-wang"},
          new String[] {"/admin/handoffs/" + id + "/answer", "as=dr-wang&nonce=x&text=hi"});
      for (String[] post : posts) {
        assertThat(browser.postForm(post[0], post[1] + "&csrf=forged").statusCode()).as(post[0]).isEqualTo(403);
        assertThat(browser.postForm(post[0], post[1]).statusCode()).as(post[0]).isEqualTo(403);
        assertThat(new ConsoleClient(server).postForm(post[0], post[1]).statusCode()).as(post[0]).isEqualTo(303);
      }
      assertThat(count(server, "SELECT COUNT(*) FROM outbox")).isZero();
      assertThat(count(server, "SELECT COUNT(*) FROM handoff_actions")).isZero();
      assertThat(count(server, "SELECT opted_out FROM contacts")).isZero();
    }
  }

  /** The external ids of the list's rows for this query, in order. */
  private static List<String> found(ConsoleClient browser, String query) throws Exception {
    HttpResponse<String> reply = browser.get("/admin/patients" + (query.isEmpty() ? "" : "?" + query));
    assertThat(reply.statusCode()).isEqualTo(200);
    return java.util.regex.Pattern.compile("data-patient=\"([^\"]+)\"").matcher(reply.body()).results()
        .map(m -> m.group(1)).toList();
  }
}
