package app.liuliang.callback;

import app.liuliang.store.GroupCommitter;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Types;
import java.util.OptionalLong;
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

  private final GroupCommitter committer;

  InboxWriter(Jdbi jdbi) {
    this.committer = new GroupCommitter(jdbi, "inbox", 50_000);
  }

  private static final String INSERT = "INSERT INTO inbox "
      + "(event_key, kind, payload, received_at, status, attempts, next_attempt_at) "
      + "VALUES (?, ?, ?, ?, 'pending', 0, ?) ON CONFLICT (event_key) DO NOTHING RETURNING id";
  private static final String OUTCOME = "UPDATE inbox SET status = ?, attempts = attempts + 1, last_error = ?, "
      + "done_at = ?, next_attempt_at = ? WHERE id = ?";

  /**
   * Completes once committed: with the new row's id, or empty when the event was already in the
   * inbox. {@code afterCommit} sees that id first, on the writer thread and in commit order.
   */
  <R> CompletableFuture<R> append(InboxEntry entry, Function<OptionalLong, R> afterCommit) {
    return committer.submit(tx -> {
      PreparedStatement insert = tx.prepared(INSERT);
      insert.setString(1, entry.eventKey());
      insert.setString(2, entry.kind());
      insert.setString(3, entry.payload());
      insert.setLong(4, entry.receivedAt());
      insert.setLong(5, entry.receivedAt());
      try (ResultSet inserted = insert.executeQuery()) {
        return inserted.next() ? OptionalLong.of(inserted.getLong(1)) : OptionalLong.empty();
      }
    }, afterCommit);
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
      return update.executeUpdate();
    });
  }

  @Override
  public void close() {
    committer.close();
  }
}
