package app.liuliang.sidebar;

import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;

/**
 * Who may see a patient in the sidebar: staff who follow them (an active {@code contact_follows} row),
 * the staff member an unfinished hand-off of theirs is with, and the admins of {@code app.yaml} (all
 * patients). A customer group: its owner, its staff members, and the admins.
 */
public final class PatientAccess {

  /** Why a staff member may (or may not) see the patient. */
  public enum Basis { ADMIN, FOLLOWS, HANDOFF, REFUSED }

  /** The hand-off states in which a hand-off is still someone's (see handoff/HandoffRepository). */
  private static final List<String> UNFINISHED = List.of("open", "notified", "claimed", "escalated");

  private final Jdbi jdbi;
  private final Set<String> admins;

  public PatientAccess(Jdbi jdbi, List<String> admins) {
    this.jdbi = jdbi;
    this.admins = Set.copyOf(admins);
  }

  public boolean isAdmin(String userId) {
    return admins.contains(userId);
  }

  public Basis patient(String userId, String externalUserId) {
    if (isAdmin(userId)) {
      return Basis.ADMIN;
    }
    return jdbi.withHandle(h -> {
      boolean follows = h.createQuery("SELECT COUNT(*) FROM contact_follows WHERE external_userid = :ext "
              + "AND userid = :user AND status = 'active'")
          .bind("ext", externalUserId).bind("user", userId).mapTo(Long.class).one() > 0;
      if (follows) {
        return Basis.FOLLOWS;
      }
      boolean handoff = h.createQuery("SELECT COUNT(*) FROM handoffs WHERE external_userid = :ext "
              + "AND doctor_userid = :user AND state IN (<states>)")
          .bind("ext", externalUserId).bind("user", userId).bindList("states", UNFINISHED).mapTo(Long.class).one() > 0;
      return handoff ? Basis.HANDOFF : Basis.REFUSED;
    });
  }

  public Basis group(String userId, String chatId) {
    if (isAdmin(userId)) {
      return Basis.ADMIN;
    }
    long seen = jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM group_chats g WHERE g.chat_id = :chat AND "
            + "(g.owner = :user OR EXISTS (SELECT 1 FROM group_members m WHERE m.chat_id = g.chat_id "
            + "AND m.member_id = :user AND m.type = 1 AND m.left_at IS NULL))")
        .bind("chat", chatId).bind("user", userId).mapTo(Long.class).one());
    return seen > 0 ? Basis.FOLLOWS : Basis.REFUSED;
  }
}
