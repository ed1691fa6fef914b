package app.liuliang.retry;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with equal jitter: attempt n waits between half and all of
 * {@code base × 2^n}, capped at {@code max}. The fixed half keeps a retry from coming back at once;
 * the random half spreads a burst of retries (a WeCom outage fails hundreds of actions together).
 */
public record Backoff(Duration base, Duration max) {

  public long delayMillis(int attempt, RandomGenerator random) {
    long ceiling = Math.min(max.toMillis(), base.toMillis() << Math.min(attempt, 20));
    return ceiling / 2 + random.nextLong(ceiling / 2 + 1);
  }
}
