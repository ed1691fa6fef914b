package app.liuliang.callback;

import app.liuliang.store.GroupCommitter;
import app.liuliang.store.Node;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Types;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.jdbi.v3.core.Jdbi;

/**
 * Everything the inbox writes, through one {@link GroupCommitter}: intake (a callback is
 * acknowledged only once its row committed) and the workers' outcomes, so the two never contend for
 * SQLite's write lock and one fsync serves hundreds of both.
 */
final class InboxWriter implements AutoCloseable {

  /** A worker's result for one row: a final status, or pending again at {@code nextAttemptAt}. */
  record Outcome(long id, String status, String error, long at, long nextAttemptAt) {
  }

  /**
   * A new row: its id, and whether an older unfinished row about the same person belongs to another node
   * (or to none). Such a row waits in the store, unclaimed, until the older one is done.
   */
  record Appended(long id, boolean waitsForOlder) {
  }

  private final GroupCommitter committer;
  private final Node node;

  InboxWriter(Jdbi jdbi, Node node) {
    this.committer = new GroupCommitter(jdbi, "inbox", 50_000);
    this.node = node;
  }

  // The receiving node owns a new row from the start, so it can handle it at once, without a claim.
  private static final String INSERT = "INSERT INTO inbox "
      + "(event_key, kind, payload, received_at, status, attempts, next_attempt_at, owner, lease_until, ordering_key) "
      + "VALUES (?, ?, ?, ?, 'pending', 0, ?, ?, ?, ?) ON CONFLICT (event_key) DO NOTHING RETURNING id";
  private static final String OLDER_ELSEWHERE = "SELECT 1 FROM inbox WHERE ordering_key = ? AND status = 'pending' "
      + "AND id < ? AND (owner IS NULL OR owner <> ?) LIMIT 1";
  private static final String RELEASE = "UPDATE inbox SET owner = NULL, lease_until = 0 WHERE id = ?";
  // Only while this node still owns the row: if its lease ran out and another node took the row over,
  // that node's outcome is the one that counts.
  private static final String OUTCOME = "UPDATE inbox SET status = ?, attempts = attempts + 1, last_error = ?, "
      + "done_at = ?, next_attempt_at = ? WHERE id = ? AND owner = ?";

  /**
   * Completes once committed: with the new row, or empty when the event was already in the inbox.
   * {@code afterCommit} sees it first, on the writer thread and in commit order.
   */
  <R> CompletableFuture<R> append(InboxEntry entry, Function<Optional<Appended>, R> afterCommit) {
    return committer.submit(tx -> {
      PreparedStatement insert = tx.prepared(INSERT);
      insert.setString(1, entry.eventKey());
      insert.setString(2, entry.kind());
      insert.setString(3, entry.payload());
      insert.setLong(4, entry.receivedAt());
      insert.setLong(5, entry.receivedAt());
      insert.setString(6, node.id());
      insert.setLong(7, node.leaseUntil(entry.receivedAt()));
      insert.setString(8, entry.orderingKey());
      long id;
      try (ResultSet inserted = insert.executeQuery()) {
        if (!inserted.next()) {
          return Optional.<Appended>empty();
        }
        id = inserted.getLong(1);
      }
      boolean waits = olderElsewhere(tx, entry.orderingKey(), id);
      if (waits) {
        PreparedStatement release = tx.prepared(RELEASE);
        release.setLong(1, id);
        release.executeUpdate();
      }
      return Optional.of(new Appended(id, waits));
    }, afterCommit);
  }

  private boolean olderElsewhere(GroupCommitter.Transaction tx, String orderingKey, long id) throws SQLException {
    PreparedStatement older = tx.prepared(OLDER_ELSEWHERE);
    older.setString(1, orderingKey);
    older.setLong(2, id);
    older.setString(3, node.id());
    try (ResultSet found = older.executeQuery()) {
      return found.next();
    }
  }

  /**
   * Records a worker's outcome; completes once committed. Waits for room rather than dropping it (a
   * dropped outcome would only mean the event is handled again after a restart: handlers are idempotent).
   */
  CompletableFuture<Integer> record(Outcome o) throws InterruptedException {
    return committer.submitWaiting(tx -> {
      PreparedStatement update = tx.prepared(OUTCOME);
      update.setString(1, o.status());
      update.setString(2, o.error());
      update.setObject(3, "pending".equals(o.status()) ? null : (Long) o.at(), Types.BIGINT);
      update.setLong(4, o.nextAttemptAt());
      update.setLong(5, o.id());
      update.setString(6, node.id());
      return update.executeUpdate();
    });
  }

  @Override
  public void close() {
    committer.close();
  }
}
