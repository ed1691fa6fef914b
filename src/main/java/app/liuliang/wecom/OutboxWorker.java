package app.liuliang.wecom;

import app.liuliang.logging.ThrottledLog;
import app.liuliang.retry.Backoff;
import app.liuliang.store.Node;
import app.liuliang.store.GroupCommitter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends outbox rows, nearest deadline first.
 *
 * <ul>
 *   <li>Busy and throttled answers (-1, 45009, 45033) and requests that never reached WeCom
 *       (connection refused, a gateway's 502/503) are retried with backoff until the row's deadline
 *       or {@code maxAttempts}.</li>
 *   <li>WeCom's refusals end the row with its errcode.</li>
 *   <li>When an attempt's outcome is unknown (a read timeout, a crash in flight), WeCom is asked
 *       before anything else happens: a welcome is sent again with its code, which works once, so
 *       41051 then means our earlier attempt was delivered; a broadcast is looked up
 *       ({@link OutcomeCheck}); kf and app messages are de-duplicated by WeCom itself. Asking goes on
 *       past the deadline, for {@code checkUnknownFor}, while WeCom recovers. Only an action WeCom
 *       cannot tell us about becomes {@code uncertain}, and it is never resent automatically.</li>
 * </ul>
 */
public final class OutboxWorker implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(OutboxWorker.class);
  /**
   * Errcodes that, after our own unconfirmed attempt, mean that attempt took effect: a welcome
   * code works once, so WeCom's "already used" (41051) tells us it was ours.
   */
  private static final Map<String, Integer> ALREADY_DONE = Map.of("/cgi-bin/externalcontact/send_welcome_msg", 41051);

  private final OutboxRepository repository;
  private final WeComClient client;
  private final List<OutboxGuard> guards;
  private final List<OutboxListener> listeners;
  private final List<OutcomeCheck> checks;
  private final Clock clock;
  private final Backoff backoff;
  private final int maxAttempts;
  private final long checkUnknownForMillis;
  private final MeterRegistry meters;
  private final ThrottledLog failures;
  /** Sends that ended unsent (expired, failed...): one line per status, API and errcode a minute. */
  private final ThrottledLog endings;
  private final RandomGenerator random = RandomGenerator.getDefault();
  private final ExecutorService senders;
  private final Semaphore slots;
  private final Semaphore wakeUp = new Semaphore(0);
  private final GroupCommitter statusWriter;
  private final ExecutorService notifier;
  private final Thread poller;
  private final Node node;
  private final List<String> checkableApis;
  private final java.util.concurrent.ScheduledExecutorService leases;
  private volatile boolean running = true;

  /** How the worker runs: concurrency, attempts, backoff and how long an unknown outcome is asked about. */
  public record Settings(int workers, int maxAttempts, Backoff backoff, Duration checkUnknownFor) {
  }

  /** As below, for a store only this process uses. */
  public OutboxWorker(Outbox outbox, WeComClient client, List<OutboxGuard> guards, List<OutboxListener> listeners,
      List<OutcomeCheck> checks, Clock clock, Settings settings, MeterRegistry meters) {
    this(outbox, Node.local(), client, guards, listeners, checks, clock, settings, meters);
  }

  public OutboxWorker(Outbox outbox, Node node, WeComClient client, List<OutboxGuard> guards,
      List<OutboxListener> listeners, List<OutcomeCheck> checks, Clock clock, Settings settings, MeterRegistry meters) {
    this.repository = outbox.repository();
    this.node = node;
    this.client = client;
    this.guards = List.copyOf(guards);
    this.listeners = List.copyOf(listeners);
    this.checks = List.copyOf(checks);
    this.clock = clock;
    this.backoff = settings.backoff();
    this.maxAttempts = settings.maxAttempts();
    this.checkUnknownForMillis = settings.checkUnknownFor().toMillis();
    this.meters = meters;
    this.failures = new ThrottledLog(log, clock, Duration.ofMinutes(1));
    this.endings = new ThrottledLog(log, clock, Duration.ofMinutes(1));
    this.slots = new Semaphore(settings.workers());
    AtomicInteger n = new AtomicInteger();
    this.senders = Executors.newFixedThreadPool(settings.workers(), r -> daemon(r, "outbox-sender-" + n.incrementAndGet()));
    // Outcomes are committed in groups; listeners hear of them only once they are durable.
    this.statusWriter = new GroupCommitter(outbox.jdbi(), "outbox", 100_000);
    this.notifier = Executors.newSingleThreadExecutor(r -> daemon(r, "outbox-listeners"));
    this.checkableApis = checks.stream().map(OutcomeCheck::api).toList();
    resumeInterrupted(true);
    // Leases are renewed on a thread of their own: the poller may wait for a free sender for a while.
    this.leases = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "outbox-leases"));
    long every = node.renewEvery().toMillis();
    leases.scheduleWithFixedDelay(this::keepLeases, every, every, TimeUnit.MILLISECONDS);
    outbox.onEnqueue(this::wakeUp);
    this.poller = daemon(this::run, "outbox-poller");
    this.poller.start();
  }

  private void resumeInterrupted(boolean atStart) {
    int[] resumed = repository.resumeInterrupted(node, clock.millis(), checkableApis, atStart);
    if (resumed[0] + resumed[1] > 0) {
      log.warn("outbox: {} interrupted actions resumed (WeCom is asked first), {} marked uncertain "
          + "(patient-facing, WeCom cannot tell, not resent){}", resumed[0], resumed[1],
          atStart ? "" : ": a node stopped renewing its leases");
      wakeUp();
    }
  }

  /** Renews this node's leases, and resumes the "sending" rows of nodes whose leases ran out. */
  private void keepLeases() {
    try {
      repository.renewLeases(node, clock.millis());
      resumeInterrupted(false);
    } catch (RuntimeException e) {
      log.warn("outbox: lease renewal failed; retrying: {}", e.toString());
    }
  }

  /** The checks WeCom allows: broadcasts are looked up with {@code get_groupmsg_list_v2}. */
  public static List<OutcomeCheck> standardChecks(WeComClient client, ObjectMapper json, Clock clock) {
    return List.of(new BroadcastLookup(client, json, clock));
  }

  /** What a send that WeCom confirmed by its "already done" errcode is stored with. */
  private static JsonNode confirmedBy(int errcode) {
    return JsonNodeFactory.instance.objectNode().put("errcode", errcode)
        .put("confirmed_by", "errcode " + errcode + " after our own unconfirmed attempt");
  }

  private Optional<OutcomeCheck> checkFor(String api) {
    return checks.stream().filter(c -> c.api().equals(api)).findFirst();
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
          items = repository.claimDue(node, clock.millis(), free);
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
        log.error("outbox poll failed; retrying: {}", e.toString());
      }
    }
  }

  /** Sends one claimed row and stores what happened. Package-visible for tests. */
  void send(OutboxItem item) {
    try {
      if (item.outcomeUnknown()) {
        resolveUnknown(item);
      } else if (clock.millis() > item.deadline()) {
        end(item, "expired", item.errcode(), "deadline passed before it could be sent");
      } else {
        attempt(item);
      }
    } catch (RuntimeException e) {
      // Our own bug, not WeCom's: keep the row for a person to look at.
      log.error("outbox {} ({}) failed unexpectedly: {}", item.id(), item.purpose(), e.toString());
      end(item, "failed", null, e.toString());
    }
  }

  /** An earlier attempt may have gone through: find out before sending again or giving up. */
  private void resolveUnknown(OutboxItem item) {
    long now = clock.millis();
    if (now > item.deadline() + checkUnknownForMillis) {
      end(item, "uncertain", item.errcode(), "WeCom could not tell whether it was delivered; not resent");
      return;
    }
    Optional<OutcomeCheck> check = checkFor(item.api());
    if (check.isPresent()) {
      lookUp(item, check.get());
    } else if (ALREADY_DONE.containsKey(item.api())) {
      // Sending again is the question: the code works once, so "already used" means ours went out.
      attempt(item);
    } else if (item.resendSafe() || !item.patientFacing()) {
      if (now > item.deadline()) {
        end(item, item.patientFacing() ? "uncertain" : "expired", item.errcode(),
            "deadline passed; an earlier attempt may have been delivered");
      } else {
        attempt(item);
      }
    } else {
      end(item, "uncertain", item.errcode(), "may have been delivered; WeCom cannot be asked, not resent");
    }
  }

  private void lookUp(OutboxItem item, OutcomeCheck check) {
    Optional<JsonNode> found;
    try {
      found = check.lookUp(item);
    } catch (WeComApiException e) {
      retryLater(item, e, true);
      return;
    }
    if (found.isPresent()) {
      log.info("outbox {} ({}): an earlier attempt went through (found by asking WeCom)", item.id(), item.purpose());
      sent(item, found.get());
    } else if (clock.millis() > item.deadline()) {
      end(item, "expired", item.errcode(), "not delivered, and the deadline has passed");
    } else {
      attempt(item);
    }
  }

  private void attempt(OutboxItem item) {
    for (OutboxGuard guard : guards) {
      Optional<String> veto = guard.vetoReason(item);
      if (veto.isPresent()) {
        end(item, "skipped", null, veto.get());
        return;
      }
    }
    try {
      sent(item, client.post(item.api(), item.body()));
    } catch (WeComApiException e) {
      onFailure(item, e);
    }
  }

  private void onFailure(OutboxItem item, WeComApiException e) {
    Integer errcode = e.hasErrcode() ? e.errcode() : null;
    switch (e.kind()) {
      case REJECTED -> {
        if (item.outcomeUnknown() && errcode != null && errcode.equals(ALREADY_DONE.get(item.api()))) {
          log.info("outbox {} ({}): errcode {} after our unconfirmed attempt: that attempt was delivered",
              item.id(), item.purpose(), errcode);
          sent(item, confirmedBy(errcode));
        } else {
          end(item, "failed", errcode, e.getMessage());
        }
      }
      case UNKNOWN_OUTCOME -> {
        boolean askable = item.resendSafe() || !item.patientFacing() || checkFor(item.api()).isPresent();
        if (askable) {
          retryLater(item, e, true);
        } else {
          end(item, "uncertain", errcode, e.getMessage() + "; may have been delivered, WeCom cannot be asked, not resent");
        }
      }
      case RATE_LIMITED, NOT_SENT -> retryLater(item, e, item.outcomeUnknown());
    }
  }

  /** Another try after backoff; past the deadline only while an unknown outcome is still to be asked. */
  private void retryLater(OutboxItem item, WeComApiException e, boolean outcomeUnknown) {
    Integer errcode = e.hasErrcode() ? e.errcode() : null;
    int attempt = item.attempts() + 1;
    long next = clock.millis() + backoff.delayMillis(attempt, random);
    long limit = outcomeUnknown ? item.deadline() + checkUnknownForMillis : item.deadline();
    if (next > limit || (!outcomeUnknown && attempt >= maxAttempts)) {
      end(item, outcomeUnknown ? "uncertain" : "expired", errcode,
          e.getMessage() + " (gave up after " + attempt + " attempts" + (outcomeUnknown ? "; delivery unknown" : "") + ")");
      return;
    }
    afterCommit(statusWriter.submit(tx -> repository.retryAt(tx.handle(), node, item.id(), next, errcode,
        e.getMessage(), outcomeUnknown)), this::wakeUp);
    count(item, "retry", errcode == null ? e.kind().name().toLowerCase() : String.valueOf(errcode));
    failures.warn(item.api() + " " + (errcode == null ? e.kind() : errcode),
        "outbox " + item.id() + " (" + item.purpose() + ") attempt " + attempt + " failed: " + e.getMessage()
            + "; retry in " + (next - clock.millis()) + " ms");
  }

  private void sent(OutboxItem item, JsonNode response) {
    long sentAt = clock.millis();
    count(item, "sent", "0");
    log.info("outbox {} sent: {} {} after {} attempt(s)", item.id(), item.purpose(), item.api(), item.attempts() + 1);
    afterCommit(statusWriter.submit(tx -> {
      int moved = repository.markSent(tx.handle(), node, item.id(), response, sentAt);
      if (moved == 1) {
        inTransaction(tx.handle(), item, "sent", response);
      }
      return moved;
    }), () -> notifySent(item, response));
  }

  private void end(OutboxItem item, String status, Integer errcode, String error) {
    count(item, status, errcode == null ? "none" : String.valueOf(errcode));
    endings.info(status + " " + item.api() + " " + errcode,
        "outbox " + item.id() + " " + status + ": " + item.purpose() + " " + item.api() + ": " + error);
    afterCommit(statusWriter.submit(tx -> {
      int moved = repository.markEnded(tx.handle(), node, item.id(), status, errcode, error);
      if (moved == 1) {
        inTransaction(tx.handle(), withOutcome(item, status, errcode, error), status, null);
      }
      return moved;
    }), () -> notifyGaveUp(item));
  }

  private static OutboxItem withOutcome(OutboxItem item, String status, Integer errcode, String error) {
    return new OutboxItem(item.id(), item.idemKey(), item.purpose(), item.api(), item.body(), item.externalUserId(),
        item.patientFacing(), item.resendSafe(), item.createdAt(), item.notBefore(), item.deadline(), status,
        item.attempts() + 1, errcode, error, null, item.sentAt(), item.outcomeUnknown());
  }

  private void inTransaction(Handle handle, OutboxItem item, String status, JsonNode response) {
    for (OutboxListener listener : listeners) {
      if (listener.accepts(item.purpose())) {
        listener.inTransaction(handle, item, status, response);
      }
    }
  }

  /**
   * Runs {@code then} once the status write committed. A failed write leaves the row "sending":
   * the restart rules then decide, exactly as after a crash.
   */
  private void afterCommit(CompletableFuture<Integer> write, Runnable then) {
    write.whenComplete((rows, failure) -> {
      if (failure != null) {
        log.error("outbox status write failed; the row stays as it was until restart: {}", failure.toString());
      } else if (rows != null && rows == 1) {
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
          log.error("outbox listener failed for {} ({}): {}", item.id(), item.purpose(), ex.toString());
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
          log.error("outbox listener failed for {} ({}): {}", item.id(), item.purpose(), ex.toString());
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
    leases.shutdownNow();
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
