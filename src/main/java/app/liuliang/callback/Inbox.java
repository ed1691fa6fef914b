package app.liuliang.callback;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import app.liuliang.store.Database;
import app.liuliang.store.Node;

/** The inbox: durable intake of accepted callbacks and the workers that process them. */
public final class Inbox implements AutoCloseable {

  private final InboxRepository repository;
  private final InboxClaims claims;
  private final InboxWriter writer;
  private final InboxWorker worker;

  public Inbox(Database database, Node node, EventDispatcher dispatcher, Clock clock, int workers, int maxAttempts,
      MeterRegistry meters) {
    this(database, node, dispatcher, clock, workers, maxAttempts, meters, InboxWorker.MAX_IN_FLIGHT);
  }

  /** With a given bound on events in memory at once; tests make it small to fill the lanes. */
  Inbox(Database database, Node node, EventDispatcher dispatcher, Clock clock, int workers, int maxAttempts,
      MeterRegistry meters, int maxInFlight) {
    this.repository = new InboxRepository(database.jdbi());
    this.claims = new InboxClaims(database, node);
    this.worker = new InboxWorker(claims, node, dispatcher, clock, workers, maxAttempts, meters, maxInFlight);
    // Intake and outcomes commit durably: an acknowledged callback, or a finished event, is on disk.
    this.writer = new InboxWriter(database.durableJdbi(), node);
    worker.start(writer);
  }

  /**
   * Completes once the event is durable: true if new, false if WeCom sent it before. A new event goes
   * straight to the workers with the fields already parsed at ingress, so it is neither read back
   * from the store nor parsed again; if they cannot take it now, the poller finds it in the store.
   * Hand-overs happen in commit order, so two events about one patient keep their order.
   */
  CompletableFuture<Boolean> append(String eventKey, String kind, String payload, long receivedAt,
      Map<String, String> fields) {
    InboxEntry entry = new InboxEntry(eventKey, kind, payload, receivedAt, CallbackEvent.orderingKey(eventKey, fields));
    return writer.append(entry, appended -> {
      appended.ifPresent(row -> worker.handOver(
          new InboxRow(row.id(), eventKey, kind, payload, receivedAt, "pending", 0, null), fields, row.waitsForOlder()));
      return appended.isPresent();
    });
  }

  public InboxRepository repository() {
    return repository;
  }

  @Override
  public void close() {
    // Workers first, so their last outcomes reach the writer before it drains and stops.
    worker.close();
    writer.close();
    try {
      // Unfinished rows go to the other nodes now rather than when this node's leases run out.
      claims.releaseOwn();
    } catch (RuntimeException e) {
      // The store may be closing too; the leases run out all the same.
    }
  }
}
