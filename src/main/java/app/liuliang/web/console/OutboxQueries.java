package app.liuliang.web.console;

import app.liuliang.wecom.OutboxItem;
import app.liuliang.wecom.OutboxRepository;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/** Actions that did not go out (with WeCom's errcode), and callbacks dead-lettered by the inbox. */
final class OutboxQueries {

  private static final int LIMIT = 100;

  /** @param retryable failed, expired and uncertain actions may be retried by an operator */
  record Action(long id, String purpose, String purposeLabel, String api, String externalUserId, String status,
      String statusLabel, String errcode, String error, int attempts, String createdAt, boolean retryable) {
  }

  record DeadCallback(long id, String kind, String receivedAt, int attempts, String error) {
  }

  private final Jdbi jdbi;
  private final OutboxRepository outbox;
  private final ConsoleTime time;

  OutboxQueries(Jdbi jdbi, OutboxRepository outbox, ConsoleTime time) {
    this.jdbi = jdbi;
    this.outbox = outbox;
    this.time = time;
  }

  List<Action> gaveUp() {
    return outbox.inStatus(TodayQueries.GAVE_UP, LIMIT).stream().map(this::action).toList();
  }

  private Action action(OutboxItem item) {
    return new Action(item.id(), item.purpose(), Labels.outboxPurpose(item.purpose()), item.api(), item.externalUserId() == null ? "" : item.externalUserId(),
        item.status(), Labels.outboxStatus(item.status()),
        item.errcode() == null ? "" : String.valueOf(item.errcode()), shorten(item.lastError()), item.attempts(),
        time.shortTime(item.createdAt()), TodayQueries.GAVE_UP.contains(item.status()));
  }

  List<DeadCallback> deadCallbacks() {
    return jdbi.withHandle(h -> h.createQuery("SELECT id, kind, received_at, attempts, last_error FROM inbox "
            + "WHERE status = 'dead' ORDER BY id DESC LIMIT :limit")
        .bind("limit", LIMIT)
        .map((rs, ctx) -> new DeadCallback(rs.getLong(1), rs.getString(2), time.shortTime(rs.getLong(3)),
            rs.getInt(4), shorten(rs.getString(5))))
        .list());
  }

  private static String shorten(String error) {
    if (error == null) {
      return "";
    }
    return error.length() <= 200 ? error : error.substring(0, 200) + "…";
  }
}
