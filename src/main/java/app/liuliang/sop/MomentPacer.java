package app.liuliang.sop;

import app.liuliang.store.PaceSlots;
import java.time.Duration;
import java.time.Instant;

/**
 * Spaces {@code add_moment_task} creations (outbox {@code notBefore}) so that no minute holds more
 * than WeCom's 10: with 9 a minute, one every 6.67 s. WeCom counts per corp, so the slots live in the
 * store and two nodes firing Moments items together still take turns.
 */
final class MomentPacer {

  static final String NAME = "add_moment_task";

  private final PaceSlots slots;
  private final Duration spacing;

  MomentPacer(PaceSlots slots, int perMinute) {
    this.slots = slots;
    this.spacing = Duration.ofMillis(60_000L / perMinute + 1);
  }

  Instant nextSlot(Instant now) {
    return slots.next(NAME, spacing, now);
  }
}
