package app.liuliang.callback;

import app.liuliang.store.GroupCommitter;
import java.util.concurrent.CompletableFuture;
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
  private final Runnable afterAppend;

  InboxWriter(Jdbi jdbi, Runnable afterAppend) {
    this.committer = new GroupCommitter(jdbi, "inbox", 50_000);
    this.afterAppend = afterAppend;
  }

  /** Completes with true when newly stored, false when the event was already in the inbox. */
  CompletableFuture<Boolean> append(InboxEntry entry) {
    return committer.submit(h -> h.createUpdate(
                "INSERT INTO inbox (event_key, kind, payload, received_at, status, attempts, next_attempt_at) "
                    + "VALUES (:key, :kind, :payload, :at, 'pending', 0, :at) ON CONFLICT (event_key) DO NOTHING")
            .bind("key", entry.eventKey()).bind("kind", entry.kind())
            .bind("payload", entry.payload()).bind("at", entry.receivedAt())
            .execute() > 0)
        .whenComplete((stored, error) -> afterAppend.run());
  }

  /**
   * Records a worker's outcome; completes once committed. Waits for room rather than dropping it (a
   * dropped outcome would only mean the event is handled again after a restart: handlers are idempotent).
   */
  CompletableFuture<Integer> record(Outcome o) throws InterruptedException {
    return committer.submitWaiting(h -> h.createUpdate(
            "UPDATE inbox SET status = :status, attempts = attempts + 1, last_error = :error, "
                + "done_at = :doneAt, next_attempt_at = :next WHERE id = :id")
        .bind("status", o.status()).bind("error", o.error())
        .bind("doneAt", "pending".equals(o.status()) ? null : (Long) o.at())
        .bind("next", o.nextAttemptAt()).bind("id", o.id())
        .execute());
  }

  @Override
  public void close() {
    committer.close();
  }
}
