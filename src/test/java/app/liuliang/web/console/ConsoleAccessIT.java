package app.liuliang.web.console;

import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.app.Settings;
import app.liuliang.testing.MutableClock;
import app.liuliang.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Who gets into /admin: sign-in, bearer, expiry, sign-out, CSRF, and the console being off or open. */
class ConsoleAccessIT {

  static final List<String> PAGES = List.of("/admin", "/admin/week", "/admin/patients", "/admin/layers",
      "/admin/referrals", "/admin/handoffs", "/admin/outbox", "/admin/channels", "/admin/ops", "/admin/staff");
  /** Wrong tokens an address may present within a minute before it is refused. */
  static final int FAILURES_ALLOWED = 5;

  @Test
  void everyPageRedirectsToTheLoginFormWithoutCredentials() throws Exception {
    try (TestServer server = TestServer.builder().start()) {
      for (String page : PAGES) {
        HttpResponse<String> reply = server.get(page);
        assertThat(reply.statusCode()).as(page).isEqualTo(303);
        assertThat(reply.headers().firstValue("Location")).as(page).hasValue("/admin/login");
        assertThat(reply.body()).as(page).doesNotContain("今日收到回调");
      }
      HttpResponse<String> form = server.get("/admin/login");
      assertThat(form.statusCode()).isEqualTo(200);
      assertThat(form.body()).contains("管理员令牌").contains("name=\"token\"");
    }
  }

  @Test
  void apiAnswers401WithoutOrWithAWrongToken() throws Exception {
    try (TestServer server = TestServer.builder().start()) {
      assertThat(server.get("/admin/api/today").statusCode()).isEqualTo(401);
      assertThat(server.get("/admin/api/outbox", "Authorization", "Bearer wrong").statusCode()).isEqualTo(401);
      assertThat(server.post("/admin/api/outbox/1/retry", "", "Authorization", "Bearer wrong").statusCode()).isEqualTo(401);
      assertThat(server.get("/admin", "Authorization", "Bearer wrong").statusCode()).isEqualTo(303);
    }
  }

  @Test
  void bearerTokenOpensPagesAndApiWithoutASession() throws Exception {
    try (TestServer server = TestServer.builder().start()) {
      for (String page : PAGES) {
        HttpResponse<String> reply = server.get(page, TestServer.admin());
        assertThat(reply.statusCode()).as(page).isEqualTo(200);
        assertThat(reply.headers().firstValue("Set-Cookie")).as(page).isEmpty();
      }
      HttpResponse<String> api = server.get("/admin/api/today", TestServer.admin());
      assertThat(api.statusCode()).isEqualTo(200);
      assertThat(api.body()).contains("\"callbacks\":0").contains("\"outboxDepth\":0");
    }
  }

  @Test
  void wrongTokenAtTheLoginFormIsRefusedWithoutACookie() throws Exception {
    try (TestServer server = TestServer.builder().start()) {
      ConsoleClient browser = new ConsoleClient(server);

      HttpResponse<String> reply = browser.login("not-the-token");

      assertThat(reply.statusCode()).isEqualTo(401);
      assertThat(reply.body()).contains("令牌不正确");
      assertThat(reply.headers().firstValue("Set-Cookie")).isEmpty();
      assertThat(browser.get("/admin").statusCode()).isEqualTo(303);
    }
  }

  @Test
  void repeatedWrongTokensPauseSignInForAMinute() throws Exception {
    MutableClock clock = MutableClock.atSystemTime();
    try (TestServer server = TestServer.builder().clock(clock).start()) {
      ConsoleClient browser = new ConsoleClient(server);
      for (int i = 0; i < FAILURES_ALLOWED; i++) {
        assertThat(browser.login("guess-" + i).statusCode()).isEqualTo(401);
      }

      HttpResponse<String> paused = browser.login(TestServer.ADMIN_TOKEN);

      assertThat(paused.statusCode()).isEqualTo(429);
      assertThat(paused.body()).contains("一分钟后再试");
      assertThat(paused.headers().firstValue("Set-Cookie")).isEmpty();
      clock.advance(Duration.ofMinutes(1));
      assertThat(browser.login(TestServer.ADMIN_TOKEN).statusCode()).isEqualTo(303);
    }
  }

  @Test
  void bearerGuessingIsThrottledLikeTheForm() throws Exception {
    MutableClock clock = MutableClock.atSystemTime();
    try (TestServer server = TestServer.builder().clock(clock).start()) {
      for (int i = 0; i < FAILURES_ALLOWED; i++) {
        assertThat(server.get("/admin/api/today", "Authorization", "Bearer guess-" + i).statusCode()).isEqualTo(401);
      }

      assertThat(server.get("/admin/api/today", TestServer.admin()).statusCode()).isEqualTo(429);
      assertThat(server.post("/api/sop/reload", "", TestServer.admin()).statusCode()).isEqualTo(429);
      // The form shares the address's budget: a guesser cannot switch doors.
      assertThat(new ConsoleClient(server).login(TestServer.ADMIN_TOKEN).statusCode()).isEqualTo(429);
      clock.advance(Duration.ofMinutes(1));
      assertThat(server.get("/admin/api/today", TestServer.admin()).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void behindATrustedProxyAGuesserDoesNotLockOutTheAdminAtAnotherAddress() throws Exception {
    try (TestServer server = TestServer.builder().configDir(configTrusting("127.0.0.1")).start()) {
      for (int i = 0; i < FAILURES_ALLOWED + 3; i++) {
        server.get("/admin/api/today", "Authorization", "Bearer guess-" + i, "X-Forwarded-For", "203.0.113.9");
      }
      assertThat(server.get("/admin/api/today", "Authorization", "Bearer " + TestServer.ADMIN_TOKEN,
          "X-Forwarded-For", "203.0.113.9").statusCode()).isEqualTo(429);

      // The clinic's admin, at another address behind the same proxy, is not affected, by header or by form.
      assertThat(server.get("/admin/api/today", "Authorization", "Bearer " + TestServer.ADMIN_TOKEN,
          "X-Forwarded-For", "198.51.100.7").statusCode()).isEqualTo(200);
      String form = "token=" + TestServer.ADMIN_TOKEN;
      assertThat(server.post("/admin/login", form, "Content-Type", "application/x-www-form-urlencoded",
          "X-Forwarded-For", "198.51.100.7").statusCode()).isEqualTo(303);
      assertThat(server.post("/admin/login", form, "Content-Type", "application/x-www-form-urlencoded",
          "X-Forwarded-For", "203.0.113.9").statusCode()).isEqualTo(429);
      // A client cannot pick its address by prepending one: the proxy appends the real peer, read from the right.
      assertThat(server.get("/admin/api/today", "Authorization", "Bearer " + TestServer.ADMIN_TOKEN,
          "X-Forwarded-For", "198.51.100.7, 203.0.113.9").statusCode()).isEqualTo(429);
    }
  }

  @Test
  void withoutATrustedProxyForwardedAddressesAreIgnored() throws Exception {
    try (TestServer server = TestServer.builder().start()) {
      for (int i = 0; i < FAILURES_ALLOWED; i++) {
        server.get("/admin/api/today", "Authorization", "Bearer guess-" + i, "X-Forwarded-For", "203.0.113." + i);
      }

      HttpResponse<String> reply = server.get("/admin/api/today", "Authorization", "Bearer " + TestServer.ADMIN_TOKEN,
          "X-Forwarded-For", "198.51.100.7");

      assertThat(reply.statusCode()).isEqualTo(429);
      assertThat(reply.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    }
  }

  private static Path configTrusting(String proxy) throws Exception {
    Path config = TestServer.copyConfig(Path.of("config"));
    Path app = config.resolve("app.yaml");
    String yaml = Files.readString(app).replace("trusted_proxies: []", "trusted_proxies: [\"" + proxy + "\"]");
    assertThat(yaml).contains(proxy);
    Files.writeString(app, yaml);
    return config;
  }

  @Test
  void loginSetsAnHttpOnlyStrictSessionCookieThatOpensEveryPage() throws Exception {
    try (TestServer server = TestServer.builder().start()) {
      ConsoleClient browser = new ConsoleClient(server);

      HttpResponse<String> reply = browser.login(TestServer.ADMIN_TOKEN);

      assertThat(reply.statusCode()).isEqualTo(303);
      assertThat(reply.headers().firstValue("Location")).hasValue("/admin");
      String setCookie = reply.headers().firstValue("Set-Cookie").orElseThrow();
      assertThat(setCookie).startsWith(ConsoleAccess.COOKIE + "=").containsIgnoringCase("HttpOnly")
          .containsIgnoringCase("SameSite=Strict").contains("Path=/admin");
      // 256 random bits, base64url without padding: 43 characters.
      assertThat(browser.cookie().substring(ConsoleAccess.COOKIE.length() + 1)).hasSize(43);
      for (String page : PAGES) {
        HttpResponse<String> html = browser.get(page);
        assertThat(html.statusCode()).as(page).isEqualTo(200);
        assertThat(html.headers().firstValue("Cache-Control")).as(page).hasValue("no-store");
        assertThat(html.body()).as(page).contains("退出登录");
      }
      assertThat(browser.get("/admin/api/today").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void sessionExpiresAfterTwelveHours() throws Exception {
    MutableClock clock = MutableClock.atSystemTime();
    try (TestServer server = TestServer.builder().clock(clock).start()) {
      ConsoleClient browser = new ConsoleClient(server);
      browser.login(TestServer.ADMIN_TOKEN);
      clock.advance(Duration.ofHours(11).plusMinutes(59));
      assertThat(browser.get("/admin/week").statusCode()).isEqualTo(200);

      clock.advance(Duration.ofMinutes(2));

      HttpResponse<String> reply = browser.get("/admin/week");
      assertThat(reply.statusCode()).isEqualTo(303);
      assertThat(reply.headers().firstValue("Location")).hasValue("/admin/login");
      assertThat(browser.get("/admin/api/today").statusCode()).isEqualTo(401);
    }
  }

  @Test
  void logoutEndsTheSessionOnTheServer() throws Exception {
    try (TestServer server = TestServer.builder().start()) {
      ConsoleClient browser = new ConsoleClient(server);
      browser.login(TestServer.ADMIN_TOKEN);
      String oldCookie = browser.cookie();
      String csrf = browser.csrfFrom("/admin");

      HttpResponse<String> reply = browser.postForm("/admin/logout", "csrf=" + csrf);

      assertThat(reply.statusCode()).isEqualTo(303);
      assertThat(reply.headers().firstValue("Location")).hasValue("/admin/login");
      assertThat(reply.headers().firstValue("Set-Cookie").orElseThrow()).startsWith(ConsoleAccess.COOKIE + "=;").contains("1970");
      // Replaying the old cookie does not work either: the session is gone server-side.
      assertThat(server.get("/admin", "Cookie", oldCookie).statusCode()).isEqualTo(303);
    }
  }

  @Test
  void formsWithoutTheSessionsCsrfTokenAreRefused() throws Exception {
    try (TestServer server = TestServer.builder().start()) {
      ConsoleClient browser = new ConsoleClient(server);
      browser.login(TestServer.ADMIN_TOKEN);

      assertThat(browser.postForm("/admin/logout", "").statusCode()).isEqualTo(403);
      assertThat(browser.postForm("/admin/logout", "csrf=forged").statusCode()).isEqualTo(403);
      assertThat(browser.postForm("/admin/outbox/1/retry", "csrf=forged").statusCode()).isEqualTo(403);
      assertThat(browser.get("/admin").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void consoleIsOffWhenNoTokenIsSetOutsideTheSandbox() throws Exception {
    try (TestServer server = TestServer.builder().env(Settings.ADMIN_TOKEN, "").start()) {
      assertThat(server.get("/admin").statusCode()).isEqualTo(404);
      assertThat(server.get("/admin/login").statusCode()).isEqualTo(404);
      assertThat(server.post("/admin/login", "token=", "Content-Type", "application/x-www-form-urlencoded").statusCode())
          .isEqualTo(404);
      assertThat(server.get("/admin/api/today").statusCode()).isEqualTo(401);
      assertThat(server.get("/admin/api/today", "Authorization", "Bearer ").statusCode()).isEqualTo(401);
    }
  }

  @Test
  void consoleIsOpenInSandboxModeWithoutToken() throws Exception {
    try (TestServer server = TestServer.builder().env(Settings.ADMIN_TOKEN, "").env(Settings.CORP_ID, "").start()) {
      ConsoleClient browser = new ConsoleClient(server);

      HttpResponse<String> page = browser.get("/admin");

      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body()).contains("沙箱模式").doesNotContain("退出登录");
      assertThat(browser.get("/admin/api/today").statusCode()).isEqualTo(200);
      // Still a session with a CSRF token, so forms are protected the same way.
      assertThat(browser.postForm("/admin/outbox/1/retry", "csrf=forged").statusCode()).isEqualTo(403);
    }
  }

  @Test
  void staticAssetsAreServedFromTheJarAndNothingElse() throws Exception {
    try (TestServer server = TestServer.builder().start()) {
      HttpResponse<String> css = server.get("/admin/static/console.css");
      assertThat(css.statusCode()).isEqualTo(200);
      assertThat(css.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/css");
      assertThat(server.get("/admin/static/console.js").statusCode()).isEqualTo(200);
      assertThat(server.get("/admin/static/..%2Flogback.xml").statusCode()).isEqualTo(404);
      assertThat(server.get("/admin/static/today.peb").statusCode()).isEqualTo(404);
    }
  }
}
