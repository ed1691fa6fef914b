package app.liuliang.figures;

import app.liuliang.wecom.WeComClient.StaffBehavior;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * {@code staff_figures} (one row per staff member and day, upserted) and {@code staff_figure_fetches}
 * (how far each staff member has been fetched, and the lease of the node fetching them).
 */
final class StaffFigureRepository {

  /** One stored day. */
  record Day(String userId, LocalDate day, int newApply, int newContacts, int chats, int messages,
      Double replyPercentage, Integer avgReplyMinutes, int deletions) {
  }

  private final Jdbi jdbi;

  StaffFigureRepository(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** Writes the day, replacing what an earlier fetch stored for it (WeCom's recent days change). */
  void upsert(String userId, LocalDate day, StaffBehavior b, long now) {
    jdbi.useHandle(h -> h.createUpdate("INSERT INTO staff_figures (userid, day, new_apply_cnt, new_contact_cnt, chat_cnt, "
            + "message_cnt, reply_percentage, avg_reply_time, negative_feedback_cnt, fetched_at) "
            + "VALUES (:u, :day, :apply, :contacts, :chats, :messages, :reply, :replyTime, :deletions, :now) "
            + "ON CONFLICT (userid, day) DO UPDATE SET new_apply_cnt = excluded.new_apply_cnt, "
            + "new_contact_cnt = excluded.new_contact_cnt, chat_cnt = excluded.chat_cnt, message_cnt = excluded.message_cnt, "
            + "reply_percentage = excluded.reply_percentage, avg_reply_time = excluded.avg_reply_time, "
            + "negative_feedback_cnt = excluded.negative_feedback_cnt, fetched_at = excluded.fetched_at")
        .bind("u", userId).bind("day", day.toString()).bind("apply", b.newApplyCnt()).bind("contacts", b.newContactCnt())
        .bind("chats", b.chatCnt()).bind("messages", b.messageCnt()).bind("reply", b.replyPercentage())
        .bind("replyTime", b.avgReplyTime()).bind("deletions", b.negativeFeedbackCnt()).bind("now", now).execute());
  }

  /**
   * Claims the staff member for a fetch: true when no other node holds a live lease and today's run has
   * not been done yet (fetched through yesterday). Compare-and-set, so two nodes never both fetch.
   */
  boolean claim(String userId, String owner, LocalDate yesterday, long now, long leaseMillis) {
    return jdbi.inTransaction(h -> {
      h.createUpdate("INSERT INTO staff_figure_fetches (userid, updated_at) VALUES (:u, :now) ON CONFLICT (userid) DO NOTHING")
          .bind("u", userId).bind("now", now).execute();
      return h.createUpdate("UPDATE staff_figure_fetches SET lease_owner = :owner, lease_until = :until, updated_at = :now "
              + "WHERE userid = :u AND lease_until < :now AND (fetched_through IS NULL OR fetched_through < :yesterday)")
          .bind("owner", owner).bind("until", now + leaseMillis).bind("now", now).bind("u", userId)
          .bind("yesterday", yesterday.toString()).execute() == 1;
    });
  }

  Optional<LocalDate> fetchedThrough(String userId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT fetched_through FROM staff_figure_fetches WHERE userid = :u")
        .bind("u", userId).mapTo(String.class).findOne().map(LocalDate::parse));
  }

  /**
   * Records progress after a window (never moving it backwards: re-asked days leave it) and renews the
   * lease; false when the lease is no longer ours (it ran out and another node took the staff member).
   */
  boolean advance(String userId, String owner, LocalDate through, long now, long leaseMillis) {
    return jdbi.withHandle(h -> h.createUpdate("UPDATE staff_figure_fetches SET fetched_through = CASE "
            + "WHEN fetched_through IS NULL OR fetched_through < :through THEN :through ELSE fetched_through END, "
            + "lease_until = :until, updated_at = :now WHERE userid = :u AND lease_owner = :owner")
        .bind("through", through.toString()).bind("until", now + leaseMillis).bind("now", now).bind("u", userId)
        .bind("owner", owner).execute() == 1);
  }

  /** Gives the lease back, with the failure (null when the fetch went through). */
  void release(String userId, String owner, String error, long now) {
    jdbi.useHandle(h -> h.createUpdate("UPDATE staff_figure_fetches SET lease_owner = NULL, lease_until = 0, error = :error, "
            + "updated_at = :now WHERE userid = :u AND lease_owner = :owner")
        .bind("error", error).bind("now", now).bind("u", userId).bind("owner", owner).execute());
  }

  /** The last failure per staff member, for the console. */
  java.util.Map<String, String> errors() {
    return jdbi.withHandle(h -> h.createQuery("SELECT userid, error FROM staff_figure_fetches WHERE error IS NOT NULL")
        .reduceRows(new java.util.TreeMap<String, String>(), (acc, row) -> {
          acc.put(row.getColumn(1, String.class), row.getColumn(2, String.class));
          return acc;
        }));
  }

  /** Every stored day from {@code from} to {@code to} (both included), by staff and day. */
  List<Day> days(LocalDate from, LocalDate to) {
    return jdbi.withHandle(h -> h.createQuery("SELECT userid, day, new_apply_cnt, new_contact_cnt, chat_cnt, message_cnt, "
            + "reply_percentage, avg_reply_time, negative_feedback_cnt FROM staff_figures "
            + "WHERE day >= :from AND day <= :to ORDER BY userid, day")
        .bind("from", from.toString()).bind("to", to.toString())
        .map((rs, ctx) -> new Day(rs.getString(1), LocalDate.parse(rs.getString(2)), rs.getInt(3), rs.getInt(4),
            rs.getInt(5), rs.getInt(6), rs.getObject(7) == null ? null : rs.getDouble(7),
            rs.getObject(8) == null ? null : rs.getInt(8), rs.getInt(9)))
        .list());
  }
}
