package app.liuliang.figures;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * The figures of the last 30 days (today included) per staff member in {@code /metrics}, e.g.
 * {@code liuliang_staff_new_contacts{staff="小美",userid="assistant-lily"}}: {@code staff} is the
 * accounts.yaml name for dashboards, {@code userid} keeps two staff of the same name apart (and stays
 * when a name changes); staff not in accounts.yaml are together as {@code staff="其他员工",userid="others"}.
 * A scrape reads a snapshot at most a minute old, so scrapes cost no queries in between.
 */
final class StaffGauges {

  static final int DAYS = 30;
  private static final long MAX_AGE_MILLIS = 60_000;
  static final String OTHERS_LABEL = "others";

  private final StaffFigures figures;
  private final Clock clock;
  private volatile Map<String, StaffFigures.Summary> snapshot = Map.of();
  private volatile long takenAt;
  private volatile boolean stale = true;

  StaffGauges(StaffFigures figures, Clock clock) {
    this.figures = figures;
    this.clock = clock;
  }

  /** One gauge per figure for each of {@code staff} (the configured staff and 其他员工). */
  void register(MeterRegistry meters, List<StaffFigures.Summary> staff) {
    for (StaffFigures.Summary s : staff) {
      gauge(meters, "liuliang.staff.new_contacts", "customers who added the staff member (30 days)", s, r -> r.newContacts());
      gauge(meters, "liuliang.staff.new_applies", "friend requests the staff member sent (30 days)", s, r -> r.newApply());
      gauge(meters, "liuliang.staff.chats", "chats the staff member had (30 days)", s, r -> r.chats());
      gauge(meters, "liuliang.staff.messages", "messages the staff member sent (30 days)", s, r -> r.messages());
      gauge(meters, "liuliang.staff.reply_percent", "percent of chats replied to, 0-100 (30 days; NaN without replies)", s,
          r -> r.replyRate().orElse(Double.NaN));
      gauge(meters, "liuliang.staff.avg_reply_minutes", "average first reply time in minutes (30 days)", s,
          r -> r.avgReplyMinutes().orElse(Double.NaN));
      gauge(meters, "liuliang.staff.deletions", "customers who deleted or blocked the staff member (30 days)", s,
          r -> r.deletions());
      gauge(meters, "liuliang.staff.handoffs_claimed", "hand-offs the staff member claimed (30 days)", s,
          r -> r.handoffsClaimed());
      gauge(meters, "liuliang.staff.claim_median_seconds", "median wait until a hand-off was claimed (30 days)", s,
          r -> r.medianClaimMillis().map(m -> m / 1000.0).orElse(Double.NaN));
      gauge(meters, "liuliang.staff.claim_mean_seconds", "mean wait until a hand-off was claimed (30 days)", s,
          r -> r.averageClaimMillis().map(m -> m / 1000.0).orElse(Double.NaN));
      gauge(meters, "liuliang.staff.referrals", "referred patients who added the staff member (30 days)", s,
          r -> r.referrals());
    }
  }

  private void gauge(MeterRegistry meters, String name, String description, StaffFigures.Summary staff,
      ToDoubleFunction<StaffFigures.Summary> value) {
    String key = staff.userId();
    Gauge.builder(name, this, g -> {
      StaffFigures.Summary now = g.current().get(key);
      return value.applyAsDouble(now == null ? StaffFigures.empty(key, staff.name()) : now);
    }).description(description).tag("staff", staff.name())
        .tag("userid", key.equals(StaffFigures.OTHERS) ? OTHERS_LABEL : key).register(meters);
  }

  private Map<String, StaffFigures.Summary> current() {
    long now = clock.millis();
    if (stale || now - takenAt > MAX_AGE_MILLIS || now < takenAt) {
      snapshot = figures.summaries(DAYS).stream()
          .collect(Collectors.toMap(StaffFigures.Summary::userId, s -> s, (a, b) -> a));
      takenAt = now;
      stale = false;
    }
    return snapshot;
  }

  /** Forgets the snapshot: the next scrape reads the store (after a fetch). */
  void invalidate() {
    stale = true;
  }
}
