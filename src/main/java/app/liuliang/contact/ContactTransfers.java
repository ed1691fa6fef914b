package app.liuliang.contact;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/**
 * Staff transfers (继承) as the contact tables see them: whose patients a member has (by layer or tag),
 * and, once WeCom moved a patient, the follow moving with them. The colleague takes the member's place
 * (the same added_at), so whatever picks "the patient's assistant" as the first active follower (journeys,
 * referral codes, churn alerts) now picks the colleague.
 */
public final class ContactTransfers {

  private static final int IN_LIST = 500;

  private final Jdbi jdbi;
  private final Clock clock;

  public ContactTransfers(Jdbi jdbi, Clock clock) {
    this.jdbi = jdbi;
    this.clock = clock;
  }

  /** Active patients this member actively follows, optionally of one layer and / or with one tag. */
  public List<String> followedBy(String userId, String layer, String tag) {
    return jdbi.withHandle(h -> {
      Query q = h.createQuery("SELECT c.external_userid FROM contacts c JOIN contact_follows f "
          + "ON f.external_userid = c.external_userid AND f.userid = :user AND f.status = 'active' "
          + "WHERE c.status = 'active'" + filters(layer, tag) + " ORDER BY c.external_userid").bind("user", userId);
      bindFilters(q, layer, tag);
      return q.mapTo(String.class).list();
    });
  }

  /** Of these ids, the known patients of the layer and / or tag (no filter: all of them, known or not). */
  public List<String> matching(List<String> externalUserIds, String layer, String tag) {
    if (layer == null && tag == null) {
      return List.copyOf(externalUserIds);
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < externalUserIds.size(); i += IN_LIST) {
      List<String> chunk = externalUserIds.subList(i, Math.min(externalUserIds.size(), i + IN_LIST));
      out.addAll(jdbi.withHandle(h -> {
        Query q = h.createQuery("SELECT c.external_userid FROM contacts c WHERE c.external_userid IN (<ids>)"
            + filters(layer, tag) + " ORDER BY c.external_userid").bindList("ids", chunk);
        bindFilters(q, layer, tag);
        return q.mapTo(String.class).list();
      }));
    }
    return out;
  }

  /**
   * The patient is now the colleague's: the member's follow ends as {@code transferred}, the colleague's
   * is active in its place, and a patient first reached through the member counts as the colleague's.
   * Idempotent: a second call changes nothing.
   */
  public void followMoved(String externalUserId, String fromUserId, String toUserId) {
    long now = clock.millis();
    jdbi.useTransaction(h -> {
      h.createUpdate("INSERT INTO contact_follows (external_userid, userid, state, status, added_at, remark) "
              + "SELECT external_userid, :to, state, 'active', added_at, remark FROM contact_follows "
              + "WHERE external_userid = :ext AND userid = :from "
              + "ON CONFLICT (external_userid, userid) DO UPDATE SET status = 'active', "
              + "added_at = CASE WHEN excluded.added_at < contact_follows.added_at THEN excluded.added_at "
              + "ELSE contact_follows.added_at END")
          .bind("ext", externalUserId).bind("from", fromUserId).bind("to", toUserId).execute();
      // A patient we knew no follow of (a departed member's customer from get_unassigned_list) still gets one.
      h.createUpdate("INSERT INTO contact_follows (external_userid, userid, state, status, added_at) "
              + "SELECT external_userid, :to, '', 'active', :now FROM contacts WHERE external_userid = :ext "
              + "ON CONFLICT (external_userid, userid) DO UPDATE SET status = 'active'")
          .bind("ext", externalUserId).bind("to", toUserId).bind("now", now).execute();
      int moved = h.createUpdate("UPDATE contact_follows SET status = 'transferred' WHERE external_userid = :ext "
              + "AND userid = :from AND status <> 'transferred'")
          .bind("ext", externalUserId).bind("from", fromUserId).execute();
      h.createUpdate("UPDATE contacts SET first_userid = :to, updated_at = :now WHERE external_userid = :ext "
              + "AND first_userid = :from")
          .bind("to", toUserId).bind("now", now).bind("ext", externalUserId).bind("from", fromUserId).execute();
      if (moved > 0) {
        h.createUpdate("INSERT INTO contact_activities (external_userid, type, subtype, amount, at, detail) "
                + "SELECT external_userid, 'transferred_to', NULL, NULL, :now, :detail FROM contacts "
                + "WHERE external_userid = :ext")
            .bind("ext", externalUserId).bind("now", now).bind("detail", "from=" + fromUserId + " to=" + toUserId)
            .execute();
      }
    });
  }

  private static String filters(String layer, String tag) {
    return (layer == null ? "" : " AND c.layer = :layer")
        + (tag == null ? "" : " AND EXISTS (SELECT 1 FROM contact_tags t WHERE t.external_userid = c.external_userid "
            + "AND t.tag_name = :tag)");
  }

  private static void bindFilters(Query q, String layer, String tag) {
    if (layer != null) {
      q.bind("layer", layer);
    }
    if (tag != null) {
      q.bind("tag", tag);
    }
  }
}
