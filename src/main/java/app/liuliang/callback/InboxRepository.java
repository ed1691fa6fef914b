package app.liuliang.callback;

import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * Reads of the inbox table, for the console, metrics and alerts. States: pending → done | skipped | dead (or
 * pending again, later). Which node works on a row is {@link InboxClaims}' business.
 */
public final class InboxRepository {

  private final Jdbi jdbi;

  public InboxRepository(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** Rows per status, for the console and metrics. */
  public Map<String, Long> countByStatus() {
    return jdbi.withHandle(h -> h.createQuery("SELECT status, COUNT(*) FROM inbox GROUP BY status")
        .reduceRows(new java.util.TreeMap<String, Long>(), (acc, row) -> {
          acc.put(row.getColumn(1, String.class), row.getColumn(2, Long.class));
          return acc;
        }));
  }

  /** Callbacks received since {@code since} (epoch millis). */
  public long receivedSince(long since) {
    return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM inbox WHERE received_at >= :since")
        .bind("since", since).mapTo(Long.class).one());
  }

  /** Age in millis of the oldest pending row, 0 when none: the inbox lag. */
  public long oldestPendingAge(long now) {
    Long oldest = jdbi.withHandle(h -> h.createQuery(
            "SELECT MIN(received_at) FROM inbox WHERE status = 'pending'")
        .mapTo(Long.class).findOne().orElse(null));
    return oldest == null ? 0 : Math.max(0, now - oldest);
  }

  public List<InboxRow> recent(int limit) {
    return jdbi.withHandle(h -> h.createQuery(
            "SELECT " + InboxRow.COLUMNS + " FROM inbox ORDER BY id DESC LIMIT :limit")
        .bind("limit", limit)
        .map((rs, ctx) -> InboxRow.of(rs))
        .list());
  }
}
