package app.liuliang.handoff;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** SQL over {@code handoffs}. */
final class HandoffRepository {

  static final String OPEN = "open";
  static final String NOTIFIED = "notified";
  static final String CLAIMED = "claimed";
  static final String CLOSED = "closed";
  static final String ESCALATED = "escalated";

  /** One hand-off row. */
  record Row(long id, String externalUserId, String openKfId, String doctor, String state, String reason, String intent,
      long openedAt, Long notifyAt, Long notifiedAt, int level, String taskId, List<String> route, String card) {
  }

  private static final String COLUMNS = "id, external_userid, open_kfid, doctor_userid, state, reason, intent, opened_at, "
      + "notify_at, notified_at, escalation_level, task_id, route, card";

  private final Jdbi jdbi;

  HandoffRepository(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  Jdbi jdbi() {
    return jdbi;
  }

  /**
   * Opens a hand-off unless this message already opened one (its id either way), or another hand-off of
   * the patient is active (empty): a unique index on the active one makes that atomic across nodes.
   */
  java.util.OptionalLong insert(HandoffRequest r, String doctor, List<String> route, String card, long now,
      long notifyAt) {
    return jdbi.inTransaction(h -> {
      h.createUpdate("INSERT INTO handoffs (external_userid, open_kfid, doctor_userid, state, reason, intent, opened_at, "
              + "notify_at, source_msgid, route, card) VALUES (:ext, :kf, :doctor, 'open', :reason, :intent, :now, "
              + ":notifyAt, :source, :route, :card) ON CONFLICT DO NOTHING")
          .bind("ext", r.externalUserId()).bind("kf", r.openKfId()).bind("doctor", doctor).bind("reason", r.reason())
          .bind("intent", r.intent()).bind("now", now).bind("notifyAt", notifyAt).bind("source", r.sourceMsgid())
          .bind("route", String.join(",", route)).bind("card", card).execute();
      return h.createQuery("SELECT id FROM handoffs WHERE source_msgid = :source").bind("source", r.sourceMsgid())
          .mapTo(Long.class).findOne().map(java.util.OptionalLong::of).orElse(java.util.OptionalLong.empty());
    });
  }

  Optional<Row> find(long id) {
    return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM handoffs WHERE id = :id").bind("id", id)
        .map((rs, ctx) -> map(rs)).findOne());
  }

  Optional<Row> byTask(String taskId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM handoffs WHERE task_id = :t").bind("t", taskId)
        .map((rs, ctx) -> map(rs)).findOne());
  }

  /** Open hand-offs whose notification is due (the doctor's hours began). */
  List<Row> dueForNotice(long now) {
    return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM handoffs WHERE state = 'open' "
            + "AND notify_at <= :now ORDER BY id").bind("now", now).map((rs, ctx) -> map(rs)).list());
  }

  /** Notified but not claimed since {@code before}. */
  List<Row> unclaimedSince(long before) {
    return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM handoffs WHERE state = 'notified' "
            + "AND notified_at <= :before ORDER BY id").bind("before", before).map((rs, ctx) -> map(rs)).list());
  }

  /** Hand-offs a staff member still has to look at. */
  List<Row> activeFor(String userId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM handoffs WHERE doctor_userid = :u "
            + "AND state IN ('open', 'notified', 'claimed', 'escalated') ORDER BY opened_at").bind("u", userId)
        .map((rs, ctx) -> map(rs)).list());
  }

  /** The state of the patient's hand-off still in progress (open, notified, claimed, escalated), if any. */
  Optional<String> activeStateOf(String externalUserId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT state FROM handoffs WHERE external_userid = :ext "
            + "AND state IN ('open', 'notified', 'claimed', 'escalated') ORDER BY id DESC LIMIT 1")
        .bind("ext", externalUserId).mapTo(String.class).findOne());
  }

  /** Moves to notified (or escalated) for {@code doctor}, only from the expected state: false if it moved on. */
  boolean markNotified(Handle h, long id, String fromState, int fromLevel, String state, String doctor, int level,
      String taskId, long now) {
    return h.createUpdate("UPDATE handoffs SET state = :state, doctor_userid = :doctor, escalation_level = :level, "
            + "task_id = :task, notified_at = :now WHERE id = :id AND state = :from AND escalation_level = :fromLevel")
        .bind("state", state).bind("doctor", doctor).bind("level", level).bind("task", taskId).bind("now", now)
        .bind("id", id).bind("from", fromState).bind("fromLevel", fromLevel).execute() == 1;
  }

  boolean claim(Handle h, long id, String userId, String responseCode, long now) {
    return h.createUpdate("UPDATE handoffs SET state = 'claimed', doctor_userid = :u, claimed_at = :now, "
            + "response_code = :code WHERE id = :id AND state IN ('open', 'notified', 'escalated')")
        .bind("u", userId).bind("now", now).bind("code", responseCode).bind("id", id).execute() == 1;
  }

  /**
   * Claims the right to acknowledge the patient's hand-off still waiting in the bot's session (state
   * open): true at most once per {@code every}, counted from the last acknowledgement or the opening.
   */
  Optional<Row> acknowledge(String externalUserId, long now, long everyMillis) {
    return jdbi.inTransaction(h -> {
      Optional<Long> id = h.createQuery("SELECT id FROM handoffs WHERE external_userid = :ext AND state = 'open' "
              + "ORDER BY id DESC LIMIT 1").bind("ext", externalUserId).mapTo(Long.class).findOne();
      if (id.isEmpty() || h.createUpdate("UPDATE handoffs SET acknowledged_at = :now WHERE id = :id AND state = 'open' "
              + "AND COALESCE(acknowledged_at, opened_at) <= :due").bind("now", now).bind("id", id.get())
          .bind("due", now - everyMillis).execute() == 0) {
        return Optional.empty();
      }
      return h.createQuery("SELECT " + COLUMNS + " FROM handoffs WHERE id = :id").bind("id", id.get())
          .map((rs, ctx) -> map(rs)).findOne();
    });
  }

  /** Closes one hand-off still in progress; false when it had already ended. */
  boolean close(Handle h, long id, long now) {
    return h.createUpdate("UPDATE handoffs SET state = 'closed', closed_at = :now "
            + "WHERE id = :id AND state IN ('open', 'notified', 'claimed', 'escalated')")
        .bind("now", now).bind("id", id).execute() == 1;
  }

  /** Who did what to a hand-off ({@code via} card or console), in the caller's transaction. */
  void recordAction(Handle h, long id, String action, String actor, String via, String detail, long now) {
    h.createUpdate("INSERT INTO handoff_actions (handoff_id, action, actor, via, detail, at) "
            + "VALUES (:id, :action, :actor, :via, :detail, :now)")
        .bind("id", id).bind("action", action).bind("actor", actor).bind("via", via).bind("detail", detail)
        .bind("now", now).execute();
  }

  int closeFor(String externalUserId, long now) {
    return jdbi.withHandle(h -> h.createUpdate("UPDATE handoffs SET state = 'closed', closed_at = :now "
            + "WHERE external_userid = :ext AND state IN ('notified', 'claimed', 'escalated')")
        .bind("now", now).bind("ext", externalUserId).execute());
  }

  private static Long nullableLong(ResultSet rs, int column) throws SQLException {
    long value = rs.getLong(column);
    return rs.wasNull() ? null : value;
  }

  private static Row map(ResultSet rs) throws SQLException {
    String route = rs.getString(13);
    return new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
        rs.getString(7), rs.getLong(8), nullableLong(rs, 9), nullableLong(rs, 10),
        rs.getInt(11), rs.getString(12), route == null || route.isEmpty() ? List.of() : Arrays.asList(route.split(",")),
        rs.getString(14));
  }

  /** The patient's hand-offs in progress held by {@code userId}. */
  List<Row> activeFor(String externalUserId, String userId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM handoffs WHERE external_userid = :ext "
            + "AND doctor_userid = :u AND state IN ('open', 'notified', 'claimed', 'escalated') ORDER BY id")
        .bind("ext", externalUserId).bind("u", userId).map((rs, ctx) -> map(rs)).list());
  }

  /** Moves an unfinished hand-off from one holder to another, only if it is still theirs and not closed. */
  boolean moveHolder(Handle h, long id, String fromUserId, String toUserId) {
    return h.createUpdate("UPDATE handoffs SET doctor_userid = :to WHERE id = :id AND doctor_userid = :from "
            + "AND state IN ('open', 'notified', 'claimed', 'escalated')")
        .bind("to", toUserId).bind("id", id).bind("from", fromUserId).execute() == 1;
  }
}
