package app.liuliang.group;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * SQL for {@code group_refresh_due}: groups an event marked for a re-read. Every change is one
 * statement that decides by itself (upsert, compare-and-set on {@code due_at} or {@code bumps}).
 */
final class RefreshQueue {

  /** A group due for a read, as claimed. */
  record Due(String chatId, long firstEventAt, Long leaveEventAt, String staleVersion, String currentVersion,
      Integer quitScene, int attempts, int bumps) {

    /** When members the read finds gone left: the newest del_member event, else the first event. */
    long leftAt() {
      return leaveEventAt != null ? leaveEventAt : firstEventAt;
    }
  }

  private final Jdbi jdbi;

  RefreshQueue(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /**
   * Marks the group: due at {@code dueAt} unless it was due earlier already (a later event never
   * delays the read); the newest event's versions and quit scene win.
   *
   * @param leave true for a del_member event (its time is when the members it removed left)
   */
  void mark(Handle h, String chatId, long dueAt, long eventAt, boolean leave, String staleVersion,
      String currentVersion, Integer quitScene) {
    h.createUpdate("INSERT INTO group_refresh_due (chat_id, due_at, first_event_at, leave_event_at, stale_version, "
            + "cur_version, quit_scene, bumps) VALUES (:chat, :due, :at, :leaveAt, :stale, :cur, :quit, 1) "
            + "ON CONFLICT (chat_id) DO UPDATE SET due_at = " + earlier("due_at") + ", "
            + "first_event_at = " + earlier("first_event_at") + ", "
            + "leave_event_at = COALESCE(CASE WHEN group_refresh_due.leave_event_at >= excluded.leave_event_at "
            + "THEN group_refresh_due.leave_event_at ELSE excluded.leave_event_at END, "
            + "group_refresh_due.leave_event_at, excluded.leave_event_at), "
            + "stale_version = excluded.stale_version, cur_version = excluded.cur_version, "
            + "quit_scene = COALESCE(excluded.quit_scene, group_refresh_due.quit_scene), attempts = 0, "
            + "bumps = group_refresh_due.bumps + 1")
        .bind("chat", chatId).bind("due", dueAt).bind("at", eventAt).bind("leaveAt", leave ? eventAt : null)
        .bind("stale", staleVersion)
        .bind("cur", currentVersion).bind("quit", quitScene).execute();
  }

  /** The earlier of the stored and the new value (SQLite's two-argument MIN, which PostgreSQL lacks). */
  private static String earlier(String column) {
    return "CASE WHEN group_refresh_due." + column + " <= excluded." + column
        + " THEN group_refresh_due." + column + " ELSE excluded." + column + " END";
  }

  /** Groups due by {@code now}, oldest due first. */
  List<String> due(long now, int limit) {
    return jdbi.withHandle(h -> h.createQuery("SELECT chat_id FROM group_refresh_due WHERE due_at <= :now "
            + "ORDER BY due_at LIMIT :limit")
        .bind("now", now).bind("limit", limit).mapTo(String.class).list());
  }

  /** Claims a due group until {@code leaseUntil} (compare-and-set): empty when another worker has it. */
  Optional<Due> claim(String chatId, long now, long leaseUntil) {
    return jdbi.withHandle(h -> h.createQuery("UPDATE group_refresh_due SET due_at = :lease WHERE chat_id = :chat "
            + "AND due_at <= :now RETURNING chat_id, first_event_at, leave_event_at, stale_version, cur_version, quit_scene, attempts, "
            + "bumps")
        .bind("chat", chatId).bind("now", now).bind("lease", leaseUntil)
        .map((rs, ctx) -> {
          int quit = rs.getInt("quit_scene");
          Integer quitScene = rs.wasNull() ? null : quit;
          long leaveAt = rs.getLong("leave_event_at");
          Long leaveEventAt = rs.wasNull() ? null : leaveAt;
          return new Due(rs.getString("chat_id"), rs.getLong("first_event_at"), leaveEventAt,
              rs.getString("stale_version"), rs.getString("cur_version"), quitScene, rs.getInt("attempts"),
              rs.getInt("bumps"));
        })
        .findOne());
  }

  /**
   * The read covered every event marked before it: the row goes. If an event came during the read,
   * the row stays, due after that event's settle window.
   */
  boolean done(Due due) {
    return jdbi.withHandle(h -> h.createUpdate("DELETE FROM group_refresh_due WHERE chat_id = :chat AND bumps = :bumps")
        .bind("chat", due.chatId()).bind("bumps", due.bumps()).execute() == 1);
  }

  /**
   * WeCom's data still lags (or the read failed): read again at {@code dueAt}. An event that came
   * meanwhile has already set its own due time, which stands.
   */
  void retryAt(Due due, long dueAt) {
    jdbi.useHandle(h -> h.createUpdate("UPDATE group_refresh_due SET due_at = :due, attempts = attempts + 1 "
            + "WHERE chat_id = :chat AND bumps = :bumps")
        .bind("chat", due.chatId()).bind("due", dueAt).bind("bumps", due.bumps()).execute());
  }

  /** Gives up on the read (the periodic sync heals it). */
  void drop(String chatId) {
    jdbi.useHandle(h -> h.createUpdate("DELETE FROM group_refresh_due WHERE chat_id = :chat").bind("chat", chatId).execute());
  }
}
