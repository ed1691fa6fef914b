package app.liuliang.web.console;

import app.liuliang.account.Account;
import app.liuliang.account.Accounts;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/** Hand-offs to doctors: those still open, and those that ended recently. */
final class HandoffQueries {

  private static final long RECENT_MILLIS = 7 * 86_400_000L;
  private static final int LIMIT = 100;

  record Handoff(long id, String patient, String externalUserId, String doctor, String state, String stateLabel,
      String reason, String intent, String openedAt, String age, int escalation, String closedAt) {
  }

  private final Jdbi jdbi;
  private final ConsoleTime time;
  private final Accounts accounts;

  HandoffQueries(Jdbi jdbi, ConsoleTime time, Accounts accounts) {
    this.jdbi = jdbi;
    this.time = time;
    this.accounts = accounts;
  }

  /** Open ones, oldest first: the longest wait is the most urgent. */
  List<Handoff> open() {
    return jdbi.withHandle(h -> h.createQuery(select() + "WHERE ho.state IN (<states>) ORDER BY ho.opened_at, ho.id LIMIT :limit")
        .bindList("states", TodayQueries.OPEN_HANDOFF_STATES).bind("limit", LIMIT)
        .map((rs, ctx) -> map(rs)).list());
  }

  /** Closed in the last seven days, newest first. */
  List<Handoff> recent() {
    return jdbi.withHandle(h -> h.createQuery(select() + "WHERE ho.state NOT IN (<states>) AND ho.opened_at >= :since "
            + "ORDER BY ho.opened_at DESC, ho.id DESC LIMIT :limit")
        .bindList("states", TodayQueries.OPEN_HANDOFF_STATES).bind("since", time.now() - RECENT_MILLIS)
        .bind("limit", LIMIT).map((rs, ctx) -> map(rs)).list());
  }

  private static String select() {
    return "SELECT ho.id, ho.external_userid, c.name, ho.doctor_userid, ho.state, ho.reason, ho.intent, "
        + "ho.opened_at, ho.escalation_level, ho.closed_at FROM handoffs ho "
        + "LEFT JOIN contacts c ON c.external_userid = ho.external_userid ";
  }

  private Handoff map(java.sql.ResultSet rs) throws java.sql.SQLException {
    String state = rs.getString(5);
    long opened = rs.getLong(8);
    Long closed = rs.getObject(10) == null ? null : rs.getLong(10);
    boolean isOpen = TodayQueries.OPEN_HANDOFF_STATES.contains(state);
    return new Handoff(rs.getLong(1), rs.getString(3) == null ? "" : rs.getString(3), rs.getString(2),
        doctor(rs.getString(4)), state, Labels.handoffState(state), Labels.handoffReason(rs.getString(6)),
        Labels.handoffReason(rs.getString(7)), time.shortTime(opened),
        isOpen ? time.ageSince(opened) : "", rs.getInt(9), time.shortTime(closed));
  }

  private String doctor(String userId) {
    if (userId == null || userId.isEmpty()) {
      return "未分配";
    }
    return accounts == null ? userId : accounts.find(userId).map(Account::nickname).orElse(userId);
  }
}
