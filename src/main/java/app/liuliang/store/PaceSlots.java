package app.liuliang.store;

import java.time.Duration;
import java.time.Instant;
import org.jdbi.v3.core.Jdbi;

/**
 * Spacing limiters kept in the store ({@code pace_slots}), so a limit WeCom counts per corp holds however
 * many nodes share it: each slot is handed out by one atomic upsert, never read and then written.
 */
public final class PaceSlots {

  private final Jdbi jdbi;

  public PaceSlots(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /**
   * The next slot of limiter {@code name}: {@code spacing} after the last one handed out, or {@code now} when
   * the limiter has been idle that long.
   */
  public Instant next(String name, Duration spacing, Instant now) {
    long at = now.toEpochMilli();
    long step = spacing.toMillis();
    long slot = jdbi.withHandle(h -> h.createQuery("INSERT INTO pace_slots (limiter, last_at) VALUES (:name, :now) "
            + "ON CONFLICT (limiter) DO UPDATE SET last_at = CASE WHEN pace_slots.last_at + :step > :now "
            + "THEN pace_slots.last_at + :step ELSE :now END RETURNING last_at")
        .bind("name", name).bind("now", at).bind("step", step)
        .mapTo(Long.class).one());
    return Instant.ofEpochMilli(slot);
  }
}
