package app.liuliang.wecom;

import com.google.common.util.concurrent.RateLimiter;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps every WeCom API under WeCom's own ceiling (10,000 calls a minute per API per corp) by
 * spacing the calls, so that 45009 stays a rare answer rather than the pacing mechanism: a burst
 * of 300 new patients a second is then sent at the ceiling instead of being refused and retried.
 * One limiter per API path, as WeCom counts them.
 */
final class ApiPacer {

  /** Under WeCom's 10,000 a minute, leaving room for staff tools that share the corp's quota. */
  static final int DEFAULT_CALLS_PER_MINUTE = 9_000;

  private final double perSecond;
  private final ConcurrentHashMap<String, RateLimiter> limiters = new ConcurrentHashMap<>();

  ApiPacer(int callsPerMinute) {
    if (callsPerMinute < 1) {
      throw new IllegalArgumentException("calls per minute must be at least 1, was " + callsPerMinute);
    }
    this.perSecond = callsPerMinute / 60.0;
  }

  /** Waits, if need be, until this API may be called again. */
  void await(String api) {
    limiters.computeIfAbsent(api, a -> RateLimiter.create(perSecond)).acquire();
  }
}
