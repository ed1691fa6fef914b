package app.liuliang.wecom;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import app.liuliang.store.GroupCommitter;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends outbox rows. Rate limits and busy answers (-1, 45009, 45033) and transport failures are
 * retried with backoff until the row's deadline or {@code maxAttempts}; WeCom's refusals end the row
 * with its errcode. A patient-facing send whose fate is unknown is never repeated unless WeCom
 * de-duplicates it itself.
 */
public final class OutboxWorker implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(OutboxWorker.class);

  private final OutboxRepository repository;
  private final WeComClient client;
  private final List<OutboxGuard> guards;
  private final List<OutboxListener> listeners;
  private final Clock clock;
  private final Backoff backoff;
  private final int maxAttempts;
  private final MeterRegistry meters;
  private final RandomGenerator random = RandomGenerator.getDefault();
  private final ExecutorService senders;
  private final Semaphore slots;
  private final Semaphore wakeUp = new Semaphore(0);
  private final GroupCommitter statusWriter;
  private final ExecutorService notifier;
  private final Thread poller;
  private volatile boolean running = true;

  public OutboxWorker(Outbox outbox, WeComClient client, List<OutboxGuard> guards, List<OutboxListener> listeners,
      Clock clock, Backoff backoff, int workers, int maxAttempts, MeterRegistry meters) {
    this.repository = outbox.repository();
    this.client = client;
    this.guards = List.copyOf(guards);
    this.listeners = List.copyOf(listeners);
    this.clock = clock;
    this.backoff = backoff;
    this.maxAttempts = maxAttempts;
    this.meters = meters;
    this.slots = new Semaphore(workers);
    AtomicInteger n = new AtomicInteger();
    this.senders = Executors.newFixedThreadPool(workers, r -> daemon(r, "outbox-sender-" + n.incrementAndGet()));
    // Outcomes are committed in groups; listeners hear of them only once they are durable.
    this.statusWriter = new GroupCommitter(outbox.jdbi(), "outbox", 100_000);
    this.notifier = Executors.newSingleThreadExecutor(r -> daemon(r, "outbox-listeners"));
    int[] resumed = repository.resumeInterrupted();
    if (resumed[0] + resumed[1] > 0) {
      log.warn("outbox: {} interrupted actions resumed, {} marked uncertain (patient-facing, not resent)",
          resumed[0], resumed[1]);
    }
    outbox.onEnqueue(this::wakeUp);
    this.poller = daemon(this::run, "outbox-poller");
    this.poller.start();
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  public void wakeUp() {
    wakeUp.release();
  }

  private void run() {
    while (running) {
      try {
        wakeUp.tryAcquire(250, TimeUnit.MILLISECONDS);
        wakeUp.drainPermits();
        List<OutboxItem> items;
        do {
          // Claim only as many rows as there are free senders: the rest stay pending for others.
          slots.acquire();
          int free = slots.availablePermits() + 1;
          slots.release();
          items = repository.claimDue(clock.millis(), free);
          for (OutboxItem item : items) {
            slots.acquire();
            senders.execute(() -> {
              try {
                send(item);
              } finally {
                slots.release();
              }
            });
          }
        } while (running && !items.isEmpty());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        log.error("outbox poll failed; retrying", e);
      }
    }
  }

  /** Sends one claimed row and stores what happened. Package-visible for tests. */
  void send(OutboxItem item) {
    long now = clock.millis();
    if (now > item.deadline()) {
      end(item, "expired", item.errcode(), "deadline passed before it could be sent");
      return;
    }
    for (OutboxGuard guard : guards) {
      Optional<String> veto = guard.vetoReason(item);
      if (veto.isPresent()) {
        end(item, "skipped", null, veto.get());
        return;
      }
    }
    try {
      JsonNode response = client.post(item.api(), item.body());
      long sentAt = clock.millis();
      count(item, "sent", "0");
      log.info("outbox {} sent: {} {} after {} attempt(s)", item.id(), item.purpose(), item.api(), item.attempts() + 1);
      afterCommit(statusWriter.submit(tx -> repository.markSent(tx.handle(), item.id(), response, sentAt)),
          () -> notifySent(item, response));
    } catch (WeComApiException e) {
      onFailure(item, e);
    } catch (RuntimeException e) {
      // Our own bug, not WeCom's: keep the row for a person to look at.
      log.error("outbox {} ({}) failed unexpectedly", item.id(), item.purpose(), e);
      end(item, "failed", null, e.toString());
    }
  }

  private void onFailure(OutboxItem item, WeComApiException e) {
    Integer errcode = e.hasErrcode() ? e.errcode() : null;
    int attempt = item.attempts() + 1;
    boolean ambiguous = e.kind() == WeComApiException.Kind.TRANSPORT;
    if (e.kind() == WeComApiException.Kind.REJECTED) {
      end(item, "failed", errcode, e.getMessage());
      return;
    }
    if (ambiguous && item.patientFacing() && !item.resendSafe()) {
      end(item, "uncertain", errcode, e.getMessage() + "; may have been delivered, not resent");
      return;
    }
    long next = clock.millis() + backoff.delayMillis(attempt, random);
    if (attempt >= maxAttempts || next > item.deadline()) {
      end(item, "expired", errcode, e.getMessage() + " (gave up after " + attempt + " attempts)");
      return;
    }
    afterCommit(statusWriter.submit(tx -> repository.retryAt(tx.handle(), item.id(), next, errcode, e.getMessage())), this::wakeUp);
    count(item, "retry", errcode == null ? "transport" : String.valueOf(errcode));
    log.info("outbox {} ({}) attempt {} failed: {}; retry in {} ms", item.id(), item.purpose(), attempt,
        e.getMessage(), next - clock.millis());
  }

  private void end(OutboxItem item, String status, Integer errcode, String error) {
    count(item, status, errcode == null ? "none" : String.valueOf(errcode));
    log.info("outbox {} {}: {} {}: {}", item.id(), status, item.purpose(), item.api(), error);
    afterCommit(statusWriter.submit(tx -> repository.markEnded(tx.handle(), item.id(), status, errcode, error)),
        () -> notifyGaveUp(item));
  }

  /**
   * Runs {@code then} once the status write committed. A failed write leaves the row "sending":
   * the restart rules then decide, exactly as after a crash.
   */
  private void afterCommit(java.util.concurrent.CompletableFuture<Integer> write, Runnable then) {
    write.whenComplete((rows, failure) -> {
      if (failure != null) {
        log.error("outbox status write failed; the row stays as it was until restart", failure);
      } else {
        notifier.execute(then);
      }
    });
  }

  private void notifyGaveUp(OutboxItem item) {
    OutboxItem ended = repository.find(item.id()).orElse(item);
    for (OutboxListener listener : listeners) {
      if (listener.accepts(item.purpose())) {
        try {
          listener.onGaveUp(ended);
        } catch (Exception ex) {
          log.error("outbox listener failed for {} ({})", item.id(), item.purpose(), ex);
        }
      }
    }
  }

  private void notifySent(OutboxItem item, JsonNode response) {
    for (OutboxListener listener : listeners) {
      if (listener.accepts(item.purpose())) {
        try {
          listener.onSent(item, response);
        } catch (Exception ex) {
          log.error("outbox listener failed for {} ({})", item.id(), item.purpose(), ex);
        }
      }
    }
  }

  private void count(OutboxItem item, String outcome, String errcode) {
    meters.counter("liuliang.outbox.actions", "purpose", item.purpose(), "outcome", outcome, "errcode", errcode)
        .increment();
  }

  @Override
  public void close() {
    running = false;
    poller.interrupt();
    senders.shutdown();
    try {
      senders.awaitTermination(10, TimeUnit.SECONDS);
      statusWriter.close();
      notifier.shutdown();
      notifier.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
