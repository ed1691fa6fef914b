package app.liuliang.web.console;

import app.liuliang.web.AdminAuth;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import io.javalin.http.TooManyRequestsResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Who may see the console. With {@code LIULIANG_ADMIN_TOKEN} set: a signed-in browser (session
 * cookie) or a script presenting the token as {@code Authorization: Bearer}. Without it the console
 * is off, except in sandbox mode, where nothing real can be seen and it is open.
 */
final class ConsoleAccess {

  static final String COOKIE = "liuliang_console";
  static final String CSRF_FIELD = "csrf";
  static final String CSRF_HEADER = "X-CSRF-Token";

  enum Mode { OFF, OPEN, TOKEN }

  /** An allowed caller: a script with the bearer token (no session), or a browser session. */
  record Caller(boolean bearer, ConsoleSessions.Session session) {

    String csrf() {
      return session == null ? "" : session.csrf();
    }

    boolean signedIn() {
      return session != null;
    }
  }

  private final Mode mode;
  private final AdminAuth auth;
  private final ConsoleSessions sessions;

  ConsoleAccess(AdminAuth auth, boolean sandbox, ConsoleSessions sessions) {
    this.mode = auth.enabled() ? Mode.TOKEN : sandbox ? Mode.OPEN : Mode.OFF;
    this.auth = auth;
    this.sessions = sessions;
  }

  Mode mode() {
    return mode;
  }

  Optional<Caller> identify(Context ctx) {
    if (mode == Mode.OFF) {
      return Optional.empty();
    }
    switch (auth.bearer(ctx)) {
      case GRANTED -> {
        return Optional.of(new Caller(true, null));
      }
      case THROTTLED -> throw new TooManyRequestsResponse("too many wrong tokens from this address; wait a minute");
      default -> { }
    }
    Optional<ConsoleSessions.Session> session = sessions.find(ctx.cookie(COOKIE));
    if (session.isPresent()) {
      return Optional.of(new Caller(false, session.get()));
    }
    if (mode == Mode.OPEN) {
      // The open sandbox console still gets a session: its forms carry a CSRF token like the real one.
      return Optional.of(new Caller(false, signIn(ctx)));
    }
    return Optional.empty();
  }

  /** The sign-in form's token: checked (and throttled per address) like a Bearer token. */
  AdminAuth.Verdict checkToken(Context ctx, String token) {
    return auth.signIn(ctx, token);
  }

  ConsoleSessions.Session signIn(Context ctx) {
    ConsoleSessions.Session session = sessions.create();
    ctx.cookie(cookie(ctx, session.id(), (int) sessions.lifetime().toSeconds()));
    return session;
  }

  void signOut(Context ctx, Caller caller) {
    if (caller.session() != null) {
      sessions.end(caller.session().id());
    }
    ctx.cookie(cookie(ctx, "", 0));
  }

  /** A bearer caller sends no cookie, so it needs no CSRF token; a browser must echo its session's. */
  boolean csrfValid(Caller caller, Context ctx) {
    if (caller.bearer()) {
      return true;
    }
    String sent = ctx.formParam(CSRF_FIELD);
    if (sent == null) {
      sent = ctx.header(CSRF_HEADER);
    }
    return sent != null && MessageDigest.isEqual(caller.csrf().getBytes(StandardCharsets.UTF_8),
        sent.getBytes(StandardCharsets.UTF_8));
  }

  private static Cookie cookie(Context ctx, String value, int maxAgeSeconds) {
    boolean https = "https".equalsIgnoreCase(ctx.scheme())
        || "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"));
    return new Cookie(COOKIE, value, "/admin", maxAgeSeconds, https, true, null, SameSite.STRICT);
  }
}
