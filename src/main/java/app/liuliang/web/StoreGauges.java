package app.liuliang.web;

import app.liuliang.callback.InboxRepository;
import app.liuliang.wecom.OutboxRepository;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jdbi.v3.core.Jdbi;

/**
 * Gauges over the store (inbox lag, outbox depth and failures by errcode, SOP items by status, open
 * hand-offs). They read one snapshot that {@link #refresh()} takes right before each scrape, so a
 * scrape costs a handful of COUNT queries and every gauge in it comes from the same moment.
 */
public final class StoreGauges {

  /** Hand-off states that still wait for a doctor (see V20__messages.sql). */
  static final List<String> OPEN_HANDOFF_STATES = List.of("open", "notified", "claimed", "escalated");

  private final Jdbi jdbi;
  private final InboxRepository inbox;
  private final OutboxRepository outbox;
  private final Clock clock;
  private final MultiGauge failures;
  private final MultiGauge sopItems;
  private volatile Snapshot snapshot = new Snapshot(0, 0, 0, Map.of(), Map.of());

  private record Snapshot(long inboxLagMillis, long outboxDepth, long handoffsOpen,
      Map<String, Long> failuresByErrcode, Map<String, Long> sopByStatus) {
  }

  public StoreGauges(Jdbi jdbi, InboxRepository inbox, OutboxRepository outbox, Clock clock, MeterRegistry meters) {
    this.jdbi = jdbi;
    this.inbox = inbox;
    this.outbox = outbox;
    this.clock = clock;
    Gauge.builder("liuliang.inbox.lag", this, g -> g.snapshot.inboxLagMillis() / 1000.0)
        .description("age of the oldest callback not yet handled").baseUnit("seconds").register(meters);
    Gauge.builder("liuliang.outbox.depth", this, g -> g.snapshot.outboxDepth())
        .description("outbound actions pending or in flight").register(meters);
    Gauge.builder("liuliang.handoffs.open", this, g -> g.snapshot.handoffsOpen())
        .description("hand-offs waiting for or with a doctor").register(meters);
    failures = MultiGauge.builder("liuliang.outbox.failures")
        .description("outbound actions that ended failed, expired or uncertain, by WeCom errcode").register(meters);
    sopItems = MultiGauge.builder("liuliang.sop.items")
        .description("SOP items by status").register(meters);
  }

  /** Takes a new snapshot; called before each {@code /metrics} scrape. */
  public void refresh() {
    long lag = inbox.oldestPendingAge(clock.millis());
    long depth = outbox.depth();
    Map<String, Long> byErrcode = outbox.failuresByErrcode();
    Map<String, Long> sop = countBy("SELECT status, COUNT(*) FROM sop_items GROUP BY status");
    long handoffs = jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM handoffs WHERE state IN (<states>)")
        .bindList("states", OPEN_HANDOFF_STATES).mapTo(Long.class).one());
    snapshot = new Snapshot(lag, depth, handoffs, byErrcode, sop);
    failures.register(rows("errcode", byErrcode), true);
    sopItems.register(rows("status", sop), true);
  }

  private Map<String, Long> countBy(String sql) {
    return jdbi.withHandle(h -> h.createQuery(sql).reduceRows(new TreeMap<String, Long>(), (acc, row) -> {
      acc.put(row.getColumn(1, String.class), row.getColumn(2, Long.class));
      return acc;
    }));
  }

  private static List<MultiGauge.Row<?>> rows(String tag, Map<String, Long> counts) {
    return counts.entrySet().stream()
        .<MultiGauge.Row<?>>map(e -> MultiGauge.Row.of(Tags.of(tag, e.getKey()), e.getValue()))
        .toList();
  }
}
