package app.liuliang.web.sidebar;

import app.liuliang.app.WeComCredentials;
import app.liuliang.sidebar.OAuthLink;
import app.liuliang.sidebar.SidebarSettings;
import app.liuliang.wecom.WeComApiException;
import app.liuliang.wecom.WeComClient;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.HttpStatus;
import io.javalin.http.SameSite;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who is at the sidebar: WeCom's OAuth2 ({@code snsapi_base}, silent) on the way in, {@code auth/getuserinfo}
 * for the code on the way back, then a short session in an HttpOnly cookie. The state sent out is kept
 * server-side and in a cookie of the browser it was sent to; a return must bring both (CSRF).
 */
final class SidebarSignIn {

  private static final Logger log = LoggerFactory.getLogger(SidebarSignIn.class);
  static final String SESSION_COOKIE = "liuliang_sidebar";
  static final String STATE_COOKIE = "liuliang_sidebar_state";

  private final WeComClient wecom;
  private final SidebarSettings settings;
  private final SidebarSessions sessions;
  private final OAuthLink oauth;

  SidebarSignIn(WeComClient wecom, WeComCredentials credentials, SidebarSettings settings, Clock clock) {
    this.wecom = wecom;
    this.settings = settings;
    this.sessions = new SidebarSessions(clock, settings.session());
    // The sandbox's fake WeCom plays open.weixin.qq.com too, unless sidebar.yaml names another page.
    String authorize = credentials.sandbox() && SidebarSettings.DEFAULT_AUTHORIZE.equals(settings.authorizeUrl())
        ? credentials.apiBaseUrl() + app.liuliang.sandbox.SidebarStubs.AUTHORIZE_PATH : settings.authorizeUrl();
    this.oauth = new OAuthLink(authorize, credentials.corpId(), credentials.agentId());
  }

  Optional<SidebarSessions.Session> session(Context ctx) {
    return sessions.find(ctx.cookie(SESSION_COOKIE));
  }

  /**
   * Off to WeCom's OAuth2 page, which comes back to {@code /sidebar/oauth} with a code and our state; then on
   * to the sidebar address asked for (its query kept: the toolbar URL may carry one, the sandbox's does).
   */
  void sendToWeCom(Context ctx) {
    String query = ctx.queryString();
    String state = sessions.newState("/sidebar" + (query == null || query.isEmpty() ? "" : "?" + query));
    ctx.cookie(cookie(ctx, STATE_COOKIE, state, (int) SidebarSessions.STATE_LIFETIME.toSeconds()));
    ctx.redirect(oauth.to(base(ctx) + "/sidebar/oauth", state), HttpStatus.FOUND);
  }

  /** The return from WeCom: a session and back to the page, or a refusal page (rendered by {@code page}). */
  void comeBack(Context ctx, Function<String, String> page) {
    String state = ctx.queryParam("state");
    String cookieState = ctx.cookie(STATE_COOKIE);
    ctx.cookie(cookie(ctx, STATE_COOKIE, "", 0));
    Optional<String> returnTo = state == null || cookieState == null || !equal(state, cookieState)
        ? Optional.empty() : sessions.takeState(state);
    if (returnTo.isEmpty()) {
      log.warn("sidebar sign-in refused from {}: unknown or expired OAuth2 state", ctx.ip());
      ctx.status(HttpStatus.FORBIDDEN).html(page.apply("登录已过期，请关闭侧边栏后重新打开。"));
      return;
    }
    Optional<String> staff;
    try {
      staff = wecom.staffForOAuthCode(String.valueOf(ctx.queryParam("code")));
    } catch (WeComApiException e) {
      log.warn("sidebar sign-in from {} failed: {}", ctx.ip(), e.getMessage());
      boolean badCode = e.errcode() == 40029;
      ctx.status(badCode ? HttpStatus.FORBIDDEN : HttpStatus.BAD_GATEWAY)
          .html(page.apply(badCode ? "登录码无效或已使用，请关闭侧边栏后重新打开。" : "暂时连不上企业微信，请稍后重试。"));
      return;
    }
    if (staff.isEmpty()) {
      ctx.status(HttpStatus.FORBIDDEN).html(page.apply("侧边栏仅限本企业员工使用。"));
      return;
    }
    SidebarSessions.Session session = sessions.create(staff.get());
    ctx.cookie(cookie(ctx, SESSION_COOKIE, session.id(), (int) sessions.lifetime().toSeconds()));
    log.info("sidebar sign-in of {} from {}", staff.get(), ctx.ip());
    ctx.redirect(returnTo.get(), HttpStatus.SEE_OTHER);
  }

  /** Where this server is, as the browser (and WeCom's redirect) reaches it. */
  String base(Context ctx) {
    if (!settings.publicUrl().isEmpty()) {
      return settings.publicUrl();
    }
    String proto = "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto")) ? "https" : ctx.scheme();
    return proto + "://" + ctx.host();
  }

  /** HttpOnly, SameSite=Lax: WeCom's OAuth2 page sends the browser back here across sites, a top-level GET. */
  private static Cookie cookie(Context ctx, String name, String value, int maxAgeSeconds) {
    boolean https = "https".equalsIgnoreCase(ctx.scheme()) || "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"));
    return new Cookie(name, value, "/sidebar", maxAgeSeconds, https, true, null, SameSite.LAX);
  }

  static boolean equal(String a, String b) {
    return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }
}
