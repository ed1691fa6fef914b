package app.liuliang.wecom;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import app.liuliang.store.Database;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Where every outbound WeCom action starts: a row with an idempotency key, sent by the
 * {@link OutboxWorker}. Enqueue inside your own transaction ({@link #enqueue(Handle, OutboxRequest)})
 * when the action must happen exactly when your state change does.
 */
public final class Outbox {

  private final Jdbi jdbi;
  private final OutboxRepository repository;
  private final Clock clock;
  private volatile Runnable onEnqueue = () -> { };

  public Outbox(Database database, ObjectMapper json, Clock clock) {
    this.jdbi = database.jdbi();
    this.repository = new OutboxRepository(database, json);
    this.clock = clock;
  }

  /** True when queued now; false when an action with this key was queued before (a repeat). */
  public boolean enqueue(OutboxRequest request) {
    boolean added = jdbi.withHandle(h -> repository.insert(h, request, clock.millis()));
    if (added) {
      onEnqueue.run();
    }
    return added;
  }

  /** As {@link #enqueue(OutboxRequest)}, in the caller's transaction. */
  public boolean enqueue(Handle handle, OutboxRequest request) {
    boolean added = repository.insert(handle, request, clock.millis());
    if (added) {
      onEnqueue.run();
    }
    return added;
  }

  /** Cancels every pending action to a patient (they opted out, or deleted us). */
  public int cancelPendingFor(String externalUserId, String reason) {
    return jdbi.withHandle(h -> repository.cancelPendingFor(h, externalUserId, reason));
  }

  public int cancelPendingFor(Handle handle, String externalUserId, String reason) {
    return repository.cancelPendingFor(handle, externalUserId, reason);
  }

  /** Operator retry of a failed, expired or uncertain action. */
  public boolean retry(long id) {
    boolean requeued = repository.requeue(id, clock.millis());
    if (requeued) {
      onEnqueue.run();
    }
    return requeued;
  }

  Jdbi jdbi() {
    return jdbi;
  }

  public OutboxRepository repository() {
    return repository;
  }

  void onEnqueue(Runnable wakeUp) {
    this.onEnqueue = wakeUp;
  }

  /**
   * A patient moved to another staff member (继承): their pending 1:1 sends from {@code fromSender} go from
   * {@code toSender} instead. Each row changes only while still pending and unchanged (a compare-and-set on
   * status and body), so a row a worker has claimed is left as it is. Returns the keys of those re-addressed.
   */
  public java.util.List<String> readdressPending(String externalUserId, String fromSender, String toSender) {
    return repository.readdressPending(externalUserId, fromSender, toSender);
  }
}
