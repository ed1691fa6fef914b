package app.liuliang.callback;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import app.liuliang.store.Database;

/** The inbox: durable intake of accepted callbacks and the workers that process them. */
public final class Inbox implements AutoCloseable {

  private final InboxRepository repository;
  private final InboxWriter writer;
  private final InboxWorker worker;

  public Inbox(Database database, EventDispatcher dispatcher, Clock clock, int workers, int maxAttempts,
      MeterRegistry meters) {
    this.repository = new InboxRepository(database.jdbi());
    this.worker = new InboxWorker(repository, dispatcher, clock, workers, maxAttempts, meters);
    // Intake and outcomes commit durably: an acknowledged callback, or a finished event, is on disk.
    this.writer = new InboxWriter(database.durableJdbi(), worker::wakeUp);
    worker.start(writer);
  }

  /** Completes once the event is durable: true if new, false if WeCom sent it before. */
  CompletableFuture<Boolean> append(String eventKey, String kind, String payload, long receivedAt) {
    return writer.append(new InboxEntry(eventKey, kind, payload, receivedAt));
  }

  public InboxRepository repository() {
    return repository;
  }

  @Override
  public void close() {
    // Workers first, so their last outcomes reach the writer before it drains and stops.
    worker.close();
    writer.close();
  }
}
