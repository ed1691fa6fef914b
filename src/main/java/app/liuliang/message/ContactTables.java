package app.liuliang.message;

import java.time.Clock;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The contact reads and writes messages do straight on the shared tables: rows for kf customers,
 * names, opt-out state, followers. Layers and tags are not here: they are moved by the new-patients
 * service ({@code ContactLayers}, {@code ContactTagger}), the one path that keeps WeCom in step.
 */
final class ContactTables {

  private final Jdbi jdbi;
  private final Clock clock;

  ContactTables(Jdbi jdbi, Clock clock) {
    this.jdbi = jdbi;
    this.clock = clock;
  }

  void ensureKnown(String externalUserId, String channel) {
    long now = clock.millis();
    jdbi.useHandle(h -> h.createUpdate("INSERT INTO contacts (external_userid, channel, added_at, updated_at) "
            + "VALUES (:ext, :channel, :now, :now) ON CONFLICT (external_userid) DO NOTHING")
        .bind("ext", externalUserId).bind("channel", channel).bind("now", now).execute());
  }

  Optional<ContactProfile.Summary> summary(String externalUserId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT name, layer, opted_out FROM contacts WHERE external_userid = :ext")
        .bind("ext", externalUserId)
        .map((rs, ctx) -> new ContactProfile.Summary(externalUserId, rs.getString(1), rs.getString(2),
            h.createQuery("SELECT tag_name FROM contact_tags WHERE external_userid = :ext ORDER BY added_at, tag_name")
                .bind("ext", externalUserId).mapTo(String.class).list(),
            rs.getInt(3) == 1))
        .findOne());
  }

  List<String> unnamed(Collection<String> externalUserIds) {
    Set<String> unnamed = new LinkedHashSet<>(externalUserIds);
    if (!unnamed.isEmpty()) {
      unnamed.removeAll(jdbi.withHandle(h -> h.createQuery(
              "SELECT external_userid FROM contacts WHERE external_userid IN (<ids>) AND name <> ''")
          .bindList("ids", List.copyOf(unnamed)).mapTo(String.class).list()));
    }
    return List.copyOf(unnamed);
  }

  void nameIfUnnamed(Map<String, String> nameByExternalUserId, String channel) {
    if (nameByExternalUserId.isEmpty()) {
      return;
    }
    long now = clock.millis();
    // The WHERE makes "only if still unnamed" part of the write: a name externalcontact/get stored
    // meanwhile is not replaced.
    jdbi.useTransaction(h -> {
      var batch = h.prepareBatch("INSERT INTO contacts (external_userid, name, channel, added_at, updated_at) "
          + "VALUES (:ext, :name, :channel, :now, :now) ON CONFLICT (external_userid) DO UPDATE SET "
          + "name = excluded.name, updated_at = excluded.updated_at WHERE contacts.name = ''");
      nameByExternalUserId.forEach((ext, name) ->
          batch.bind("ext", ext).bind("name", name).bind("channel", channel).bind("now", now).add());
      batch.execute();
    });
  }

  void setOptedOut(String externalUserId, boolean optedOut) {
    jdbi.useHandle(h -> h.createUpdate("UPDATE contacts SET opted_out = :v, updated_at = :now WHERE external_userid = :ext")
        .bind("v", optedOut ? 1 : 0).bind("now", clock.millis()).bind("ext", externalUserId).execute());
  }

  List<String> followers(String externalUserId) {
    return jdbi.withHandle(h -> followers(h, externalUserId));
  }

  private static List<String> followers(Handle h, String externalUserId) {
    return h.createQuery("SELECT userid FROM contact_follows WHERE external_userid = :ext AND status = 'active' "
            + "ORDER BY added_at, userid")
        .bind("ext", externalUserId).mapTo(String.class).list();
  }

}
