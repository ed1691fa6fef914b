package app.liuliang.sop;

import app.liuliang.sop.WeekPlan.Audience;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/**
 * Who a 1:1 item reaches: active, not opted-out contacts in the audience, each through one staff
 * member who follows them (the earliest follow), minus anyone already at their SOP cap for the
 * day, week or month, counted from {@code sop_deliveries} in the plan's timezone. A send that WeCom
 * reported as over its own cap, or to a former friend, never reached the patient and does not count.
 */
final class AudienceQuery {

  /** A contact to message, and through whom. */
  record Target(String externalUserId, String name, String sender) {
  }

  private final Jdbi jdbi;
  private final SopSettings.PersonalCap cap;

  AudienceQuery(Jdbi jdbi, SopSettings.PersonalCap cap) {
    this.jdbi = jdbi;
    this.cap = cap;
  }

  /** Targets grouped by sender, in a stable order. */
  Map<String, List<Target>> targets(Audience audience, List<String> senders, Instant now, ZoneId zone) {
    StringBuilder sql = new StringBuilder("SELECT c.external_userid, c.name, f.userid FROM contacts c "
        + "JOIN contact_follows f ON f.external_userid = c.external_userid AND f.status = 'active' "
        + "WHERE c.opted_out = 0 AND c.status = 'active'");
    if (!audience.layers().isEmpty()) {
      sql.append(" AND c.layer IN (<layers>)");
    }
    if (!audience.tags().isEmpty()) {
      sql.append(" AND EXISTS (SELECT 1 FROM contact_tags t WHERE t.external_userid = c.external_userid AND t.tag_name IN (<tags>))");
    }
    if (!audience.excludeTags().isEmpty()) {
      sql.append(" AND NOT EXISTS (SELECT 1 FROM contact_tags x WHERE x.external_userid = c.external_userid AND x.tag_name IN (<excluded>))");
    }
    if (!senders.isEmpty()) {
      sql.append(" AND f.userid IN (<senders>)");
    }
    sql.append(" ORDER BY c.external_userid, f.added_at, f.userid");
    Set<String> capped = overCap(now, zone);
    return jdbi.withHandle(h -> {
      Query q = h.createQuery(sql.toString());
      bindIfAny(q, "layers", audience.layers());
      bindIfAny(q, "tags", audience.tags());
      bindIfAny(q, "excluded", audience.excludeTags());
      bindIfAny(q, "senders", senders);
      Map<String, List<Target>> bySender = new LinkedHashMap<>();
      Set<String> seen = new HashSet<>();
      q.map((rs, ctx) -> new Target(rs.getString(1), rs.getString(2), rs.getString(3))).forEach(t -> {
        if (seen.add(t.externalUserId()) && !capped.contains(t.externalUserId())) {
          bySender.computeIfAbsent(t.sender(), s -> new ArrayList<>()).add(t);
        }
      });
      return bySender;
    });
  }

  /** Whether one contact may get another SOP message now. */
  boolean underCap(String externalUserId, Instant now, ZoneId zone) {
    return jdbi.withHandle(h -> overCap(h, now, zone, List.of(externalUserId))).isEmpty();
  }

  Set<String> overCap(Instant now, ZoneId zone) {
    return jdbi.withHandle(h -> overCap(h, now, zone, null));
  }

  /**
   * Of {@code among} (null: everyone), the contacts at their cap now, read in the caller's transaction: after
   * {@link SopRepository#lockDeliveries} it is the count no other sender can change before this one commits.
   */
  Set<String> overCap(Handle h, Instant now, ZoneId zone, List<String> among) {
    ZonedDateTime local = now.atZone(zone);
    ZonedDateTime day = local.truncatedTo(ChronoUnit.DAYS);
    Set<String> out = new HashSet<>();
    addOver(h, out, day, cap.perDay(), among);
    addOver(h, out, day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)), cap.perWeek(), among);
    addOver(h, out, day.withDayOfMonth(1), cap.perMonth(), among);
    return out;
  }

  private void addOver(Handle h, Set<String> out, ZonedDateTime since, int limit, List<String> among) {
    if (limit <= 0 || (among != null && among.isEmpty())) {
      return;
    }
    String filter = among == null ? "" : " AND target IN (<among>)";
    Query q = h.createQuery("SELECT target FROM sop_deliveries WHERE at >= :since AND status IN ('queued', 'delivered')" + filter
            + " GROUP BY target HAVING COUNT(*) >= :limit")
        .bind("since", since.toInstant().toEpochMilli()).bind("limit", limit);
    if (among != null) {
      q.bindList("among", among);
    }
    q.mapTo(String.class).forEach(out::add);
  }

  private static void bindIfAny(Query q, String name, List<String> values) {
    if (!values.isEmpty()) {
      q.bindList(name, values);
    }
  }
}
