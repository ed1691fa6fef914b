package app.liuliang.web.sidebar;

import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.testing.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sidebar over plain HTTP: the OAuth2 link and its state (CSRF), sessions, the privacy rule for
 * patients and groups with the admins' exception, CSRF on writes, what gets signed, and the 可信域名
 * verification file at the root.
 */
class SidebarIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private SidebarFixture fixture;

  @BeforeEach
  void start() throws Exception {
    fixture = new SidebarFixture();
    fixture.patient("wmZhang", "张三", "meituan", "intent", "assistant-lily")
        .patient("wmLi", "李四", "douyin", "stranger", "dr-chen")
        .group("wrGroup1", "种植交流群", "种植VIP群", "assistant-lily", "wmZhang", "wmLi");
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  @Test
  void withoutASessionTheSidebarSendsStaffToWeComsOAuth2Page() throws Exception {
    HttpResponse<String> answer = client(new CookieManager()).send(get("/sidebar"), HttpResponse.BodyHandlers.ofString());

    assertThat(answer.statusCode()).isEqualTo(302);
    String location = answer.headers().firstValue("Location").orElseThrow();
    assertThat(location).startsWith("http://127.0.0.1:" + fixture.wecom.port() + "/connect/oauth2/authorize?appid="
        + TestServer.CORP_ID + "&redirect_uri=" + URLEncoder.encode(fixture.server.baseUrl() + "/sidebar/oauth",
        StandardCharsets.UTF_8) + "&response_type=code&scope=snsapi_base&state=");
    assertThat(location).matches(".*&state=[A-Za-z0-9]{24}&agentid=1000002#wechat_redirect");
    assertThat(answer.headers().allValues("Set-Cookie")).anyMatch(c -> c.startsWith(SidebarSignIn.STATE_COOKIE + "=")
        && c.contains("HttpOnly") && c.contains("SameSite=Lax") && c.contains("Path=/sidebar"));
  }

  @Test
  void aReturnWithAStateThisBrowserWasNotGivenIsRefused() throws Exception {
    CookieManager cookies = new CookieManager();
    HttpClient http = client(cookies);
    String state = state(http.send(get("/sidebar"), HttpResponse.BodyHandlers.ofString()));

    HttpResponse<String> forged = client(new CookieManager()).send(get("/sidebar/oauth?code=code-assistant-lily&state=" + state),
        HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> wrong = http.send(get("/sidebar/oauth?code=code-assistant-lily&state=Other123"),
        HttpResponse.BodyHandlers.ofString());

    assertThat(forged.statusCode()).isEqualTo(403);
    assertThat(forged.body()).contains("登录已过期");
    assertThat(wrong.statusCode()).isEqualTo(403);
    assertThat(fixture.wecom.countRequestsMatching(com.github.tomakehurst.wiremock.client.WireMock
        .getRequestedFor(com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo("/cgi-bin/auth/getuserinfo"))
        .build()).getCount()).isZero();
  }

  @Test
  void theApiNeedsASession() throws Exception {
    HttpResponse<String> answer = client(new CookieManager()).send(get("/sidebar/api/patient?external_userid=wmZhang"),
        HttpResponse.BodyHandlers.ofString());

    assertThat(answer.statusCode()).isEqualTo(401);
    assertThat(answer.body()).contains("登录已过期");
  }

  @Test
  void staffSeeThePatientsTheyFollowAndAdminsSeeEveryone() throws Exception {
    Staff lily = signIn("assistant-lily");
    Staff admin = signIn("admin-zhang");

    assertThat(lily.get("/sidebar/api/patient?external_userid=wmZhang").statusCode()).isEqualTo(200);
    HttpResponse<String> refused = lily.get("/sidebar/api/patient?external_userid=wmLi");
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(JSON.readTree(refused.body()).path("error").asText()).contains("您没有查看这位患者的权限");
    assertThat(refused.body()).doesNotContain("李四");

    JsonNode li = JSON.readTree(admin.get("/sidebar/api/patient?external_userid=wmLi").body());
    assertThat(li.path("name").asText()).isEqualTo("李四");
    assertThat(li.path("channel").asText()).isEqualTo("抖音");
    assertThat(fixture.count("SELECT COUNT(*) FROM sidebar_audit WHERE action = 'view'")).isEqualTo(2);
    assertThat(fixture.count("SELECT COUNT(*) FROM sidebar_audit WHERE action = 'refused' AND userid = 'assistant-lily'"))
        .isEqualTo(1);
  }

  @Test
  void aDoctorSeesAPatientWhoseHandoffIsTheirs() throws Exception {
    Staff wang = signIn("dr-wang");
    assertThat(wang.get("/sidebar/api/patient?external_userid=wmZhang").statusCode()).isEqualTo(403);

    fixture.jdbi.useHandle(h -> h.execute("INSERT INTO handoffs (external_userid, doctor_userid, state, reason, intent, "
        + "opened_at, route, source_msgid) VALUES ('wmZhang', 'dr-wang', 'claimed', 'pain', 'pain', ?, 'dr-wang', 'src-1')",
        fixture.server.clock().millis()));

    JsonNode zhang = JSON.readTree(wang.get("/sidebar/api/patient?external_userid=wmZhang").body());
    assertThat(zhang.path("name").asText()).isEqualTo("张三");
    assertThat(zhang.path("handoff").path("doctor").asText()).isEqualTo("王医生");
  }

  @Test
  void writesNeedTheSessionsCsrfToken() throws Exception {
    Staff lily = signIn("assistant-lily");
    String body = "{\"external_userid\":\"wmZhang\",\"tag\":\"需求-种植\",\"add\":true}";

    HttpResponse<String> without = lily.post("/sidebar/api/patient/tags", body, "wrong");
    HttpResponse<String> with = lily.post("/sidebar/api/patient/tags", body, lily.csrf);

    assertThat(without.statusCode()).isEqualTo(403);
    assertThat(with.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(with.body()).path("changed").asBoolean()).isTrue();
    assertThat(fixture.count("SELECT COUNT(*) FROM sidebar_audit WHERE action = 'tag_add' AND detail = '需求-种植'")).isEqualTo(1);
  }

  @Test
  void aGroupShowsItsCategoryAndPatientsToItsStaffOnly() throws Exception {
    Staff lily = signIn("assistant-lily");
    Staff chen = signIn("dr-chen");

    JsonNode group = JSON.readTree(lily.get("/sidebar/api/group?chat_id=wrGroup1").body());
    HttpResponse<String> refused = chen.get("/sidebar/api/group?chat_id=wrGroup1");

    assertThat(group.path("category").asText()).isEqualTo("种植VIP群");
    assertThat(group.path("patients").findValuesAsText("name")).containsExactly("李四", "张三");
    assertThat(group.path("patients").findValuesAsText("layer")).containsExactly("陌生", "意向");
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.body()).contains("您没有查看这个客户群的权限");
  }

  @Test
  void onlyTheSidebarPageIsSigned() throws Exception {
    Staff lily = signIn("assistant-lily");
    String page = fixture.server.baseUrl() + "/sidebar";

    JsonNode signature = JSON.readTree(lily.get("/sidebar/jsapi-signature?kind=agent&url="
        + URLEncoder.encode(page, StandardCharsets.UTF_8)).body());
    HttpResponse<String> elsewhere = lily.get("/sidebar/jsapi-signature?kind=agent&url="
        + URLEncoder.encode("https://evil.example/sidebar", StandardCharsets.UTF_8));

    assertThat(signature.path("signature").asText()).isEqualTo(SidebarFixture.sha1(
        app.liuliang.sandbox.SidebarStubs.AGENT_TICKET, signature.path("nonceStr").asText(),
        signature.path("timestamp").asLong(), page));
    assertThat(signature.path("timestamp").asLong()).isEqualTo(SidebarFixture.NOON.getEpochSecond());
    assertThat(elsewhere.statusCode()).isEqualTo(400);
  }

  @Test
  void theTrustedDomainsVerificationFileIsServedAtTheRoot() throws Exception {
    HttpResponse<String> file = fixture.server.get("/" + SidebarFixture.VERIFY_FILE);

    assertThat(file.statusCode()).isEqualTo(200);
    assertThat(file.body()).isEqualTo("Ab12Cd34Ef56Gh78");
    assertThat(fixture.server.get("/WW_verify_other.txt").statusCode()).isEqualTo(404);
  }

  /** A staff member signed in through the OAuth2 round trip, with their cookies and CSRF token. */
  private final class Staff {
    final HttpClient http;
    final String csrf;

    Staff(HttpClient http, String csrf) {
      this.http = http;
      this.csrf = csrf;
    }

    HttpResponse<String> get(String path) throws Exception {
      return http.send(SidebarIT.this.get(path), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String body, String token) throws Exception {
      return http.send(HttpRequest.newBuilder(URI.create(fixture.server.baseUrl() + path))
          .header("Content-Type", "application/json").header(SidebarRoutes.CSRF_HEADER, token)
          .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
  }

  private Staff signIn(String userId) throws Exception {
    fixture.signInAs(userId);
    HttpClient http = client(new CookieManager());
    String state = state(http.send(get("/sidebar"), HttpResponse.BodyHandlers.ofString()));
    HttpResponse<String> back = http.send(get("/sidebar/oauth?code=code-" + userId + "&state=" + state),
        HttpResponse.BodyHandlers.ofString());
    assertThat(back.statusCode()).as(back.body()).isEqualTo(303);
    HttpResponse<String> page = http.send(get("/sidebar"), HttpResponse.BodyHandlers.ofString());
    assertThat(page.statusCode()).isEqualTo(200);
    Matcher csrf = Pattern.compile("data-csrf=\"([A-Za-z0-9]+)\"").matcher(page.body());
    assertThat(csrf.find()).isTrue();
    return new Staff(http, csrf.group(1));
  }

  private static String state(HttpResponse<String> redirect) {
    Matcher state = Pattern.compile("[?&]state=([A-Za-z0-9]+)").matcher(redirect.headers().firstValue("Location").orElseThrow());
    assertThat(state.find()).isTrue();
    return URLDecoder.decode(state.group(1), StandardCharsets.UTF_8);
  }

  private HttpRequest get(String path) {
    return HttpRequest.newBuilder(URI.create(fixture.server.baseUrl() + path)).GET().build();
  }

  private static HttpClient client(CookieManager cookies) {
    return HttpClient.newBuilder().cookieHandler(cookies).followRedirects(HttpClient.Redirect.NEVER).build();
  }
}
