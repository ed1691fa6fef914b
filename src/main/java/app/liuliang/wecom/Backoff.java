package app.liuliang.wecom;

import java.time.Duration;
import java.util.random.RandomGenerator;

/** Exponential backoff with full jitter: attempt n waits a random time up to base × 2^n, capped. */
public record Backoff(Duration base, Duration max) {

  public long delayMillis(int attempt, RandomGenerator random) {
    long ceiling = Math.min(max.toMillis(), base.toMillis() << Math.min(attempt, 20));
    // Half fixed, half random: spreads a burst of retries without ever retrying at once.
    return ceiling / 2 + random.nextLong(ceiling / 2 + 1);
  }
}
