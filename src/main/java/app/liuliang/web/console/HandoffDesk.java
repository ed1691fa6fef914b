package app.liuliang.web.console;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** One hand-off for the 转接 desk: its row, the patient's recent messages, and who did what to it. */
final class HandoffDesk {

  static final int RECENT_MESSAGES = 30;

  record Handoff(long id, String externalUserId, String patient, String doctorId, String doctor, String state,
      String stateLabel, String reason, String openedAt, String age, boolean active, boolean hasSession) {
  }

  record Message(boolean in, String text, String at) {
  }

  record Action(String action, String actor, String via, String detail, String at) {
  }

  private final Jdbi jdbi;
  private final ConsoleTime time;
  private final ConsoleNames names;

  HandoffDesk(Jdbi jdbi, ConsoleTime time, ConsoleNames names) {
    this.jdbi = jdbi;
    this.time = time;
    this.names = names;
  }

  Optional<Handoff> find(long id) {
    return jdbi.withHandle(h -> h.createQuery("SELECT ho.id, ho.external_userid, c.name, ho.doctor_userid, ho.state, "
            + "ho.reason, ho.intent, ho.opened_at, ho.open_kfid FROM handoffs ho "
            + "LEFT JOIN contacts c ON c.external_userid = ho.external_userid WHERE ho.id = :id").bind("id", id)
        .map((rs, ctx) -> {
          String state = rs.getString(5);
          boolean active = TodayQueries.OPEN_HANDOFF_STATES.contains(state);
          String reason = Labels.handoffReason(rs.getString(6));
          String intent = Labels.handoffReason(rs.getString(7));
          return new Handoff(rs.getLong(1), rs.getString(2), rs.getString(3) == null ? "" : rs.getString(3),
              rs.getString(4) == null ? "" : rs.getString(4), names.staff(rs.getString(4)), state,
              Labels.handoffState(state), intent.isEmpty() || intent.equals(reason) ? reason : reason + "（" + intent + "）",
              time.shortTime(rs.getLong(8)), active ? time.ageSince(rs.getLong(8)) : "", active, rs.getString(9) != null);
        })
        .findOne());
  }

  /** The patient's last messages both ways, oldest first (reads like a chat). */
  List<Message> messages(String ext) {
    List<Message> newestFirst = jdbi.withHandle(h -> h.createQuery("SELECT direction, msgtype, content, at FROM messages "
            + "WHERE external_userid = :ext ORDER BY at DESC, id DESC LIMIT :limit")
        .bind("ext", ext).bind("limit", RECENT_MESSAGES)
        .map((rs, ctx) -> new Message("in".equals(rs.getString(1)),
            rs.getString(3) == null ? "[" + rs.getString(2) + "]" : rs.getString(3), time.shortTime(rs.getLong(4))))
        .list());
    List<Message> chat = new java.util.ArrayList<>(newestFirst);
    java.util.Collections.reverse(chat);
    return chat;
  }

  List<Action> actions(long id) {
    return jdbi.withHandle(h -> h.createQuery("SELECT action, actor, via, detail, at FROM handoff_actions "
            + "WHERE handoff_id = :id ORDER BY at, id").bind("id", id)
        .map((rs, ctx) -> new Action(Labels.handoffAction(rs.getString(1)), names.staff(rs.getString(2)),
            "card".equals(rs.getString(3)) ? "企业微信卡片" : "控制台", rs.getString(4) == null ? "" : rs.getString(4),
            time.shortTime(rs.getLong(5))))
        .list());
  }
}
