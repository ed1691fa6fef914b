package app.liuliang.web;

import app.liuliang.logging.ThrottledLog;
import io.javalin.http.Context;
import io.javalin.http.TooManyRequestsResponse;
import io.javalin.http.UnauthorizedResponse;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin surface's key: {@code LIULIANG_ADMIN_TOKEN}, presented as {@code Authorization: Bearer}
 * or typed into the console's sign-in form. With no token configured the admin API is off (401 for
 * everyone). Wrong tokens are throttled per client address, the Bearer header and the form alike.
 */
public final class AdminAuth {

  private static final Logger log = LoggerFactory.getLogger(AdminAuth.class);

  /** What a presented token got. */
  public enum Verdict { GRANTED, ABSENT, WRONG, THROTTLED }

  private final Optional<String> token;
  private final ClientAddress addresses;
  private final AuthThrottle throttle;
  private final MeterRegistry meters;
  private final ThrottledLog refusals;

  /** @param store where failed sign-ins are counted, shared by the nodes of one store */
  public AdminAuth(Optional<String> token, ClientAddress addresses, org.jdbi.v3.core.Jdbi store, Clock clock,
      MeterRegistry meters) {
    this.token = token;
    this.addresses = addresses;
    this.throttle = new AuthThrottle(store, clock);
    this.meters = meters;
    this.refusals = new ThrottledLog(log, clock, Duration.ofMinutes(1));
  }

  public boolean enabled() {
    return token.isPresent();
  }

  /** Throws 401 unless the request carries the admin token, 429 while its address is throttled. */
  public void requireBearer(Context ctx) {
    switch (bearer(ctx)) {
      case GRANTED -> { }
      case THROTTLED -> throw new TooManyRequestsResponse("too many wrong tokens from this address; wait a minute");
      default -> throw new UnauthorizedResponse("admin token required");
    }
  }

  /** The Bearer header's verdict; ABSENT when the request carries none. */
  public Verdict bearer(Context ctx) {
    String header = ctx.header("Authorization");
    if (header == null || !header.startsWith("Bearer ")) {
      return Verdict.ABSENT;
    }
    return check(ctx, header.substring(7).trim(), "bearer");
  }

  /** A token typed into the sign-in form. */
  public Verdict signIn(Context ctx, String candidate) {
    return check(ctx, candidate == null ? "" : candidate, "form");
  }

  private Verdict check(Context ctx, String candidate, String via) {
    String address = addresses.of(ctx);
    if (!throttle.allowed(address)) {
      count(via, "throttled");
      refusals.warn("throttled " + address, "admin token refused without a check: too many wrong tokens from " + address);
      return Verdict.THROTTLED;
    }
    if (matches(candidate)) {
      return Verdict.GRANTED;
    }
    throttle.failed(address);
    count(via, "wrong");
    refusals.warn("wrong " + address, "wrong admin token (" + via + ") from " + address);
    return Verdict.WRONG;
  }

  private void count(String via, String outcome) {
    meters.counter("liuliang.admin.auth_refusals", "via", via, "outcome", outcome).increment();
  }

  /** Constant-time comparison with the configured token; false when none is configured. */
  private boolean matches(String candidate) {
    return token.isPresent() && candidate != null && MessageDigest.isEqual(
        token.get().getBytes(StandardCharsets.UTF_8), candidate.getBytes(StandardCharsets.UTF_8));
  }
}
