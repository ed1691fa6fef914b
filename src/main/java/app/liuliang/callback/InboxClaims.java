package app.liuliang.callback;

import app.liuliang.store.Database;
import app.liuliang.store.Node;
import java.util.Comparator;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * Which node works on which inbox row. A row belongs to its owner while the owner's lease runs; the
 * receiving node owns a new row from the start. Pending rows without a live owner are claimed, oldest
 * first, but only a row with no older unfinished row about the same person held elsewhere: so one
 * patient's events are handled in order across nodes, and a dead node's rows resume on another node once
 * its leases run out.
 */
final class InboxClaims {

  private static final String COLUMNS = InboxRow.COLUMNS;

  private final Jdbi jdbi;
  private final Node node;
  private final boolean shared;
  private final String skipLocked;

  InboxClaims(Database database, Node node) {
    this.jdbi = database.durableJdbi();
    this.node = node;
    this.shared = database.isPostgres();
    this.skipLocked = database.skipLocked();
  }

  /**
   * At start: SQLite has one node, so every claim left by the last run is released; on PostgreSQL only
   * this node's own (a restart under the same {@code LIULIANG_NODE_ID}), never a live node's.
   * Returns the pending rows that no live node holds now.
   */
  long releaseAtStart(long now) {
    return jdbi.inTransaction(h -> {
      h.createUpdate("UPDATE inbox SET owner = NULL, lease_until = 0 WHERE status = 'pending' "
              + "AND (:all = 1 OR owner = :me)")
          .bind("all", shared ? 0 : 1).bind("me", node.id()).execute();
      return h.createQuery("SELECT COUNT(*) FROM inbox WHERE status = 'pending' "
              + "AND (owner IS NULL OR lease_until < :now)")
          .bind("now", now).mapTo(Long.class).one();
    });
  }

  /** This node's due rows: retries, and new rows the lanes had no room for when they arrived. */
  List<InboxRow> dueOwned(long now, int limit) {
    return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM inbox WHERE status = 'pending' "
            + "AND owner = :me AND next_attempt_at <= :now ORDER BY id LIMIT :limit")
        .bind("me", node.id()).bind("now", now).bind("limit", limit)
        .map((rs, ctx) -> InboxRow.of(rs)).list());
  }

  /**
   * Claims due rows no live node holds, oldest first, skipping a row while an older unfinished row about
   * the same person is held by another node or still unclaimed (that one is claimed first).
   */
  List<InboxRow> claimUnheld(long now, int limit) {
    if (limit <= 0) {
      return List.of();
    }
    List<InboxRow> rows = jdbi.inTransaction(h -> h.createQuery("UPDATE inbox SET owner = :me, lease_until = :until "
            + "WHERE id IN (SELECT i.id FROM inbox i WHERE i.status = 'pending' AND i.next_attempt_at <= :now "
            + "AND (i.owner IS NULL OR i.lease_until < :now) "
            + "AND (i.ordering_key = '' OR NOT EXISTS (SELECT 1 FROM inbox o WHERE o.ordering_key = i.ordering_key "
            + "AND o.status = 'pending' AND o.id < i.id AND NOT (o.owner = :me AND o.lease_until >= :now))) "
            + "ORDER BY i.id LIMIT :limit" + skipLocked + ") RETURNING " + COLUMNS)
        .bind("me", node.id()).bind("until", node.leaseUntil(now)).bind("now", now).bind("limit", limit)
        .map((rs, ctx) -> InboxRow.of(rs)).list());
    return rows.stream().sorted(Comparator.comparingLong(InboxRow::id)).toList();
  }

  /** Keeps this node's rows its own while it lives. */
  int renewLeases(long now) {
    return jdbi.withHandle(h -> h.createUpdate("UPDATE inbox SET lease_until = :until "
            + "WHERE owner = :me AND status = 'pending'")
        .bind("until", node.leaseUntil(now)).bind("me", node.id()).execute());
  }

  /** At a clean stop: this node's unfinished rows go to the others at once, not after the lease. */
  int releaseOwn() {
    return jdbi.withHandle(h -> h.createUpdate("UPDATE inbox SET owner = NULL, lease_until = 0 "
            + "WHERE owner = :me AND status = 'pending'").bind("me", node.id()).execute());
  }

}
