package app.liuliang.handoff;

import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * Read-only: the hand-offs staff claimed in a period, with how long each waited, for the per-staff
 * figures ({@code figures/}). The hand-off table stays this package's.
 */
public final class HandoffClaims {

  /** One claimed hand-off: who took it, when it opened and when they claimed it (epoch millis). */
  public record Claim(String userId, long openedAt, long claimedAt) {
    public long waitMillis() {
      return Math.max(0, claimedAt - openedAt);
    }
  }

  private final Jdbi jdbi;

  public HandoffClaims(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** Claimed at or after {@code fromMillis} and before {@code toMillis}, whatever their state now. */
  public List<Claim> claimedBetween(long fromMillis, long toMillis) {
    return jdbi.withHandle(h -> h.createQuery("SELECT doctor_userid, opened_at, claimed_at FROM handoffs "
            + "WHERE claimed_at IS NOT NULL AND claimed_at >= :from AND claimed_at < :to AND doctor_userid IS NOT NULL")
        .bind("from", fromMillis).bind("to", toMillis)
        .map((rs, ctx) -> new Claim(rs.getString(1), rs.getLong(2), rs.getLong(3))).list());
  }
}
