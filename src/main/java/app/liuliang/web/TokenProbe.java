package app.liuliang.web;

import app.liuliang.wecom.WeComApiException;
import app.liuliang.wecom.WeComClient;
import java.time.Clock;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * Answers "can we get an access token?" for {@code /ready}. A stored, unexpired token is enough;
 * otherwise one cheap authenticated call makes WxJava fetch one. The answer is kept for a minute so
 * a probe every few seconds never turns into a stream of {@code gettoken} calls (WeCom throttles them).
 */
final class TokenProbe {

  private static final long REMEMBER_MILLIS = 60_000;
  /** Needs a token and changes nothing: the lightest authenticated endpoint. */
  private static final String PROBE_API = "/cgi-bin/get_api_domain_ip";

  record Result(boolean ok, String detail) {
  }

  private final WeComClient wecom;
  private final Jdbi jdbi;
  private final Clock clock;
  private final boolean sandbox;
  private Result last;
  private long lastAt;

  TokenProbe(WeComClient wecom, Jdbi jdbi, Clock clock, boolean sandbox) {
    this.wecom = wecom;
    this.jdbi = jdbi;
    this.clock = clock;
    this.sandbox = sandbox;
  }

  synchronized Result check() {
    if (sandbox) {
      return new Result(true, "sandbox");
    }
    long now = clock.millis();
    if (hasStoredToken(now)) {
      return new Result(true, "stored token valid");
    }
    if (last != null && now - lastAt < REMEMBER_MILLIS) {
      return last;
    }
    try {
      wecom.get(PROBE_API, Map.of());
      last = new Result(true, "token fetched");
    } catch (WeComApiException e) {
      // The token may have come back even if the probe endpoint itself is refused for this app.
      last = hasStoredToken(now) ? new Result(true, "token fetched") : new Result(false, "gettoken failed: errcode=" + e.errcode() + " (" + e.kind() + ")");
    }
    lastAt = now;
    return last;
  }

  private boolean hasStoredToken(long now) {
    return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM wecom_token WHERE expires_at > :now")
        .bind("now", now).mapTo(Long.class).one()) > 0;
  }
}
