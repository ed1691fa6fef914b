package app.liuliang.wecom;

import com.google.common.util.concurrent.RateLimiter;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps every WeCom API under WeCom's own ceiling (10,000 calls a minute per API per corp) by
 * spacing the calls, so that 45009 stays a rare answer rather than the pacing mechanism: a burst
 * of 300 new patients a second is then sent at the ceiling instead of being refused and retried.
 * One limiter per API path, as WeCom counts them. WeCom counts per corp, not per server: with several
 * nodes each paces at its share of the ceiling ({@link #shareAmong}), which follows the live node count.
 */
final class ApiPacer {

  /** Under WeCom's 10,000 a minute, leaving room for staff tools that share the corp's quota. */
  static final int DEFAULT_CALLS_PER_MINUTE = 9_000;

  private final double corpPerSecond;
  private volatile double perSecond;
  private final ConcurrentHashMap<String, RateLimiter> limiters = new ConcurrentHashMap<>();

  ApiPacer(int callsPerMinute) {
    if (callsPerMinute < 1) {
      throw new IllegalArgumentException("calls per minute must be at least 1, was " + callsPerMinute);
    }
    this.corpPerSecond = callsPerMinute / 60.0;
    this.perSecond = corpPerSecond;
  }

  /** Paces this node at its part of the corp's ceiling when {@code nodes} nodes share it. */
  void shareAmong(int nodes) {
    perSecond = corpPerSecond / Math.max(1, nodes);
    limiters.values().forEach(limiter -> limiter.setRate(perSecond));
  }

  /** The rate this API is paced at now. */
  double perSecond(String api) {
    RateLimiter limiter = limiters.get(api);
    return limiter == null ? perSecond : limiter.getRate();
  }

  /** Waits, if need be, until this API may be called again. */
  void await(String api) {
    limiters.computeIfAbsent(api, a -> RateLimiter.create(perSecond)).acquire();
  }
}
