package app.liuliang.sidebar;

import java.time.Clock;
import org.jdbi.v3.core.Jdbi;

/**
 * The sidebar's access record ({@code sidebar_audit}, V85): one row per view, change, quick reply and
 * refusal, with the staff member and the patient or group. Rows are only ever added.
 */
public final class SidebarAudit {

  /** What a staff member did; the stored value is the lower-case name. */
  public enum Action { VIEW, REFUSED, TAG_ADD, TAG_REMOVE, HANDOFF, REPLY, GROUP_VIEW }

  private final Jdbi jdbi;
  private final Clock clock;

  public SidebarAudit(Jdbi jdbi, Clock clock) {
    this.jdbi = jdbi;
    this.clock = clock;
  }

  public void patient(String userId, Action action, String externalUserId, String detail) {
    insert(userId, action, externalUserId, null, detail);
  }

  public void group(String userId, Action action, String chatId) {
    insert(userId, action, null, chatId, null);
  }

  private void insert(String userId, Action action, String externalUserId, String chatId, String detail) {
    jdbi.useHandle(h -> h.createUpdate("INSERT INTO sidebar_audit (at, userid, action, external_userid, chat_id, detail) "
            + "VALUES (:at, :user, :action, :ext, :chat, :detail)")
        .bind("at", clock.millis()).bind("user", userId).bind("action", action.name().toLowerCase(java.util.Locale.ROOT))
        .bind("ext", externalUserId).bind("chat", chatId).bind("detail", detail).execute());
  }
}
