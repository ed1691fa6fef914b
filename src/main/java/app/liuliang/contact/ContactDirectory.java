package app.liuliang.contact;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Read-only look-ups of patients for other features (customer groups, churn alerts): name, layer,
 * tags, who follows them and their last interaction. Changes go through {@link ContactTagger} and
 * {@link ContactLayers}.
 */
public final class ContactDirectory {

  /**
   * A patient as the contact tables know them.
   *
   * @param followers       staff userids with an active follow
   * @param lastInteraction the newest activity (reply, visit, order...), or empty
   * @param lastAt          its time in epoch ms, 0 without one
   */
  public record Patient(String externalUserId, String name, String layer, String status, List<String> tags,
      List<String> followers, String firstUserId, String lastInteraction, long lastAt) {
  }

  private final Jdbi jdbi;

  ContactDirectory(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  public Optional<Patient> find(String externalUserId) {
    return jdbi.withHandle(h -> h.createQuery(
            "SELECT name, layer, status, first_userid FROM contacts WHERE external_userid = :ext")
        .bind("ext", externalUserId)
        .map((rs, ctx) -> {
          List<String> tags = h.createQuery("SELECT tag_name FROM contact_tags WHERE external_userid = :ext ORDER BY tag_name")
              .bind("ext", externalUserId).mapTo(String.class).list();
          List<String> followers = h.createQuery(
                  "SELECT userid FROM contact_follows WHERE external_userid = :ext AND status = 'active' ORDER BY added_at")
              .bind("ext", externalUserId).mapTo(String.class).list();
          var last = h.createQuery("SELECT type, at FROM contact_activities WHERE external_userid = :ext "
                  + "ORDER BY at DESC, id DESC LIMIT 1")
              .bind("ext", externalUserId)
              .map((r, c) -> new Object[] {r.getString("type"), r.getLong("at")}).findOne();
          return new Patient(externalUserId, rs.getString("name"), rs.getString("layer"), rs.getString("status"),
              tags, followers, rs.getString("first_userid"), last.map(l -> (String) l[0]).orElse(""),
              last.map(l -> (Long) l[1]).orElse(0L));
        }).findOne());
  }

  /** Which of these ids are known contacts (group members who are the clinic's patients). */
  public List<String> known(List<String> externalUserIds) {
    if (externalUserIds.isEmpty()) {
      return List.of();
    }
    return jdbi.withHandle(h -> h.createQuery("SELECT external_userid FROM contacts WHERE external_userid IN (<ids>)")
        .bindList("ids", externalUserIds).mapTo(String.class).list());
  }
}
