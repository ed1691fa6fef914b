package app.liuliang.web.console;

import app.liuliang.callback.InboxRepository;
import app.liuliang.wecom.OutboxRepository;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jdbi.v3.core.Jdbi;

/** What the bot did today and what is waiting: the console's first page. */
final class TodayQueries {

  static final List<String> OPEN_HANDOFF_STATES = List.of("open", "notified", "claimed", "escalated");
  static final List<String> GAVE_UP = List.of("failed", "expired", "uncertain");

  /**
   * @param sopDue   today's SOP items by status
   * @param inboxLagSeconds age of the oldest callback not yet handled
   */
  record Today(long callbacks, long welcomesSent, long welcomesFailed, long welcomesWaiting, long handoffsOpen,
      long sopDueTotal, Map<String, Long> sopDue, long outboxDepth, long outboxGaveUp, long inboxLagSeconds,
      long inboxDead) {
  }

  private final Jdbi jdbi;
  private final InboxRepository inbox;
  private final OutboxRepository outbox;
  private final ConsoleTime time;

  TodayQueries(Jdbi jdbi, InboxRepository inbox, OutboxRepository outbox, ConsoleTime time) {
    this.jdbi = jdbi;
    this.inbox = inbox;
    this.outbox = outbox;
    this.time = time;
  }

  Today today() {
    long start = time.startOfToday();
    long end = start + 86_400_000L;
    Map<String, Long> welcomes = countBy("SELECT status, COUNT(*) FROM outbox "
        + "WHERE purpose LIKE 'welcome%' AND created_at >= :start AND created_at < :end GROUP BY status", start, end);
    Map<String, Long> sop = countBy("SELECT status, COUNT(*) FROM sop_items "
        + "WHERE due_at >= :start AND due_at < :end AND status <> 'removed' GROUP BY status", start, end);
    long handoffs = jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM handoffs WHERE state IN (<states>)")
        .bindList("states", OPEN_HANDOFF_STATES).mapTo(Long.class).one());
    long gaveUp = outbox.countByStatus().entrySet().stream()
        .filter(e -> GAVE_UP.contains(e.getKey())).mapToLong(Map.Entry::getValue).sum();
    return new Today(
        inbox.receivedSince(start),
        welcomes.getOrDefault("sent", 0L),
        sum(welcomes, GAVE_UP),
        sum(welcomes, List.of("pending", "sending")),
        handoffs,
        sop.values().stream().mapToLong(Long::longValue).sum(),
        sop,
        outbox.depth(),
        gaveUp,
        inbox.oldestPendingAge(time.now()) / 1000,
        inbox.countByStatus().getOrDefault("dead", 0L));
  }

  private static long sum(Map<String, Long> counts, List<String> statuses) {
    return statuses.stream().mapToLong(s -> counts.getOrDefault(s, 0L)).sum();
  }

  private Map<String, Long> countBy(String sql, long start, long end) {
    return jdbi.withHandle(h -> h.createQuery(sql).bind("start", start).bind("end", end)
        .reduceRows(new TreeMap<String, Long>(), (acc, row) -> {
          acc.put(row.getColumn(1, String.class), row.getColumn(2, Long.class));
          return acc;
        }));
  }
}
