package app.liuliang.callback;

import app.liuliang.logging.ThrottledLog;
import app.liuliang.retry.Backoff;
import app.liuliang.store.Node;
import java.time.Duration;
import java.util.random.RandomGenerator;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Works through the inbox after the acknowledgement. Events about the same person go to the same
 * lane, so a patient's "added" is handled before their "edited"; failures retry with backoff and end
 * in the dead-letter state after {@code maxAttempts}. Outcomes are written by the
 * {@link InboxWriter} in batches; rows in flight are remembered here, not in the store, so a crash
 * leaves them pending and they are handled again on start.
 *
 * <p>New rows arrive two ways. Normally the ingress hands each one over as soon as it committed
 * ({@link #handOver}), with its parsed fields. When the lanes are full, or a row was left behind,
 * the poller reads pending rows from the store instead; hand-overs then wait until the poller has
 * dispatched every row left behind, so no event overtakes an older one about the same person.
 */
final class InboxWorker implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(InboxWorker.class);
  private static final int BATCH = 500;
  /** Events held in memory at once (queued on a lane or running); the rest wait in the store. */
  static final int MAX_IN_FLIGHT = BATCH * 2;

  /** A failed event is tried again after 1 s, 2 s, 4 s ... up to 5 min (then dead after maxAttempts). */
  private static final Backoff RETRY = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5));

  private final RandomGenerator random = RandomGenerator.getDefault();
  private final InboxClaims claims;
  private final long renewEveryMillis;
  private long nextRenewalAt;
  private final EventDispatcher dispatcher;
  private final SafeXml xml = new SafeXml();
  private final Clock clock;
  private final ThrottledLog troubles;
  private final int maxAttempts;
  private final MeterRegistry meters;
  private final ExecutorService[] lanes;
  private final Set<Long> inFlight = ConcurrentHashMap.newKeySet();
  // Row id -> the finish sequence number at which its outcome committed (see dispatchDue).
  private final Map<Long, Long> finished = new ConcurrentHashMap<>();
  private final AtomicLong finishSequence = new AtomicLong();
  private final Semaphore capacity;
  private final Semaphore wakeUp = new Semaphore(0);
  // Rows the hand-over left to the poller, and how many of those the poller has since dispatched.
  private final AtomicLong leftBehind = new AtomicLong();
  private volatile long pollerCaughtUpTo;
  private final Thread poller;
  private volatile InboxWriter writer;
  private volatile boolean running = true;

  InboxWorker(InboxClaims claims, Node node, EventDispatcher dispatcher, Clock clock, int lanes,
      int maxAttempts, MeterRegistry meters, int maxInFlight) {
    this.claims = claims;
    this.renewEveryMillis = node.renewEvery().toMillis();
    this.capacity = new Semaphore(maxInFlight);
    this.dispatcher = dispatcher;
    this.clock = clock;
    // Retries and dead letters of one kind are summarised per minute: an outage fails every event alike.
    this.troubles = new ThrottledLog(log, clock, Duration.ofMinutes(1));
    this.maxAttempts = maxAttempts;
    this.meters = meters;
    this.lanes = new ExecutorService[lanes];
    for (int i = 0; i < lanes; i++) {
      int lane = i;
      this.lanes[i] = Executors.newSingleThreadExecutor(r -> daemon(r, "inbox-lane-" + lane));
    }
    // Rows left by the last run (or by a node that died) are claimed by the poller, oldest first; a new
    // event about the same person waits for them (InboxWriter.Appended#waitsForOlder).
    long resumed = claims.releaseAtStart(clock.millis());
    if (resumed > 0) {
      log.info("inbox: {} events pending that no node holds; resuming", resumed);
    }
    this.poller = daemon(this::run, "inbox-poller");
  }

  /** Starts polling once the writer that records outcomes exists. */
  void start(InboxWriter writer) {
    this.writer = writer;
    poller.start();
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /**
   * A row that just committed, with the fields the ingress parsed. Dispatched at once when the lanes
   * have room and nothing older waits in the store; otherwise left to the poller. A row that waits for an
   * older one about the same person held elsewhere is not ours: a node claims it once that one is done.
   */
  synchronized void handOver(InboxRow row, Map<String, String> fields, boolean waitsForOlder) {
    if (waitsForOlder) {
      return;
    }
    if (running && pollerCaughtUpTo == leftBehind.get() && capacity.tryAcquire()) {
      if (inFlight.add(row.id())) {
        dispatch(row, fields);
      } else {
        capacity.release();
      }
      return;
    }
    leftBehind.incrementAndGet();
    wakeUp.release();
  }

  private void run() {
    boolean more = true;
    while (running) {
      try {
        if (!more) {
          wakeUp.tryAcquire(500, TimeUnit.MILLISECONDS);
        }
        wakeUp.drainPermits();
        more = dispatchDue();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        log.error("inbox poll failed; retrying", e);
      }
    }
  }

  /**
   * Dispatches this node's due rows, then claims rows no live node holds; true when there may be more
   * than the queries returned.
   */
  private boolean dispatchDue() throws InterruptedException {
    // The query may read a row as pending just before its outcome commits, and run this loop after the
    // row has left the in-flight set: so a row whose outcome committed after the query began is skipped
    // (the next poll sees its real state). Rows that finished before the query began are forgotten.
    long queryBegan = finishSequence.get();
    // Every row left behind before this point committed before the query: if the query returns all
    // due rows, they are among them, and once dispatched, hand-overs may go ahead of the poller again.
    long behindBefore = leftBehind.get();
    long now = clock.millis();
    renewLeasesWhenDue(now);
    int limit = BATCH + inFlight.size();
    List<InboxRow> owned = claims.dueOwned(now, limit);
    dispatchRows(owned, queryBegan);
    int room = Math.min(BATCH, capacity.availablePermits());
    List<InboxRow> claimed = claims.claimUnheld(now, room);
    dispatchRows(claimed, queryBegan);
    finished.values().removeIf(at -> at <= queryBegan);
    boolean sawAllOwned = owned.size() < limit;
    if (sawAllOwned) {
      pollerCaughtUpTo = behindBefore;
    }
    return !sawAllOwned || (room > 0 && claimed.size() == room);
  }

  private void dispatchRows(List<InboxRow> rows, long queryBegan) throws InterruptedException {
    for (InboxRow row : rows) {
      Long finishedAt = finished.get(row.id());
      if ((finishedAt != null && finishedAt > queryBegan) || !inFlight.add(row.id())) {
        continue;
      }
      capacity.acquire();
      Map<String, String> fields;
      try {
        fields = xml.parse(row.payload());
      } catch (SafeXml.MalformedXmlException e) {
        finish(row, "dead", e.getMessage(), 0);
        capacity.release();
        continue;
      }
      dispatch(row, fields);
    }
  }

  /** Renews this node's leases every third of a lease, so no other node takes over rows it works on. */
  private void renewLeasesWhenDue(long now) {
    if (now >= nextRenewalAt) {
      claims.renewLeases(now);
      nextRenewalAt = now + renewEveryMillis;
    }
  }

  /** Runs the event on its person's lane; the caller holds a capacity permit, released when done. */
  private void dispatch(InboxRow row, Map<String, String> fields) {
    CallbackEvent event = new CallbackEvent(row.id(), row.eventKey(), Instant.ofEpochMilli(row.receivedAt()), fields);
    lanes[Math.floorMod(event.orderingKey().hashCode(), lanes.length)].execute(() -> {
      try {
        process(row, event);
      } finally {
        capacity.release();
      }
    });
  }

  private void process(InboxRow row, CallbackEvent event) {
    try {
      EventDispatcher.Outcome outcome = dispatcher.dispatch(event);
      finish(row, outcome == EventDispatcher.Outcome.HANDLED ? "done" : "skipped", null, 0);
    } catch (CallbackHandler.PermanentFailure e) {
      troubles.warn("dead " + row.kind() + " " + e.getClass().getSimpleName(),
          "inbox event " + row.id() + " (" + row.kind() + ") dead-lettered: " + e.getMessage());
      finish(row, "dead", e.getMessage(), 0);
    } catch (Exception e) {
      String error = e.getClass().getSimpleName() + ": " + e.getMessage();
      int attempt = row.attempts() + 1;
      if (attempt >= maxAttempts) {
        troubles.warn("dead " + row.kind() + " " + e.getClass().getSimpleName(),
            "inbox event " + row.id() + " (" + row.kind() + ") dead-lettered after " + attempt + " attempts: " + error);
        finish(row, "dead", error, 0);
      } else {
        long delay = RETRY.delayMillis(row.attempts(), random);
        troubles.info("retry " + row.kind() + " " + e.getClass().getSimpleName(), "inbox event " + row.id() + " ("
            + row.kind() + ") failed, attempt " + attempt + "; retrying in " + delay + " ms: " + error);
        finish(row, "pending", error, clock.millis() + delay);
      }
    }
  }

  /**
   * Stores the outcome. The row leaves the in-flight set only once that committed, so the poller
   * never sees it pending while its outcome is still on the way to the store.
   */
  private void finish(InboxRow row, String status, String error, long nextAttemptAt) {
    try {
      writer.record(new InboxWriter.Outcome(row.id(), status, error, clock.millis(), nextAttemptAt))
          .whenComplete((updated, failure) -> {
            finished.put(row.id(), finishSequence.incrementAndGet());
            inFlight.remove(row.id());
          });
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      inFlight.remove(row.id());
    }
    meters.counter("liuliang.inbox.processed", "kind", row.kind(), "outcome", "pending".equals(status) ? "retry" : status)
        .increment();
  }

  /**
   * Stops promptly: events queued on a lane but not started are dropped here, as they are still
   * pending in the store and resume at the next start; the ones running get a few seconds to finish.
   */
  @Override
  public void close() {
    running = false;
    poller.interrupt();
    for (ExecutorService lane : lanes) {
      lane.shutdownNow().forEach(dropped -> capacity.release());
    }
    for (ExecutorService lane : lanes) {
      try {
        lane.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
