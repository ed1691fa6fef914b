package app.liuliang.sop;

import java.time.Duration;
import java.time.Instant;

/**
 * Spaces {@code add_moment_task} creations (outbox {@code notBefore}) so that no minute holds more
 * than WeCom's 10: with 9 a minute, one every 6.67 s.
 */
final class MomentPacer {

  private final Duration spacing;
  private Instant last = Instant.EPOCH;

  MomentPacer(int perMinute) {
    this.spacing = Duration.ofMillis(60_000L / perMinute + 1);
  }

  synchronized Instant nextSlot(Instant now) {
    Instant next = last.plus(spacing);
    last = next.isAfter(now) ? next : now;
    return last;
  }
}
