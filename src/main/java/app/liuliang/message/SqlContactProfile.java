package app.liuliang.message;

import app.liuliang.contact.TagCatalog;
import app.liuliang.wecom.Outbox;
import app.liuliang.wecom.OutboxRequest;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * {@link ContactProfile} on the V10 tables. Tags are kept in {@code contact_tags} and marked in
 * WeCom ({@code mark_tag}, through the outbox) when the tag's id is known ({@code corp_tags}) and a
 * staff member follows the contact; kf-only customers keep them locally.
 */
final class SqlContactProfile implements ContactProfile {

  private static final String MARK_TAG = "/cgi-bin/externalcontact/mark_tag";

  private final Jdbi jdbi;
  private final Outbox outbox;
  private final TagCatalog tags;
  private final Clock clock;
  private final ObjectMapper json;
  private final MeterRegistry meters;

  SqlContactProfile(Jdbi jdbi, Outbox outbox, TagCatalog tags, Clock clock, ObjectMapper json, MeterRegistry meters) {
    this.jdbi = jdbi;
    this.outbox = outbox;
    this.tags = tags;
    this.clock = clock;
    this.json = json;
    this.meters = meters;
  }

  @Override
  public void ensureKnown(String externalUserId, String channel) {
    long now = clock.millis();
    jdbi.useHandle(h -> h.createUpdate("INSERT INTO contacts (external_userid, channel, added_at, updated_at) "
            + "VALUES (:ext, :channel, :now, :now) ON CONFLICT (external_userid) DO NOTHING")
        .bind("ext", externalUserId).bind("channel", channel).bind("now", now).execute());
  }

  @Override
  public Optional<Summary> summary(String externalUserId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT name, layer, opted_out FROM contacts WHERE external_userid = :ext")
        .bind("ext", externalUserId)
        .map((rs, ctx) -> new Summary(externalUserId, rs.getString(1), rs.getString(2),
            h.createQuery("SELECT tag_name FROM contact_tags WHERE external_userid = :ext ORDER BY added_at, tag_name")
                .bind("ext", externalUserId).mapTo(String.class).list(),
            rs.getInt(3) == 1))
        .findOne());
  }

  @Override
  public List<String> unnamed(Collection<String> externalUserIds) {
    Set<String> unnamed = new LinkedHashSet<>(externalUserIds);
    if (!unnamed.isEmpty()) {
      unnamed.removeAll(jdbi.withHandle(h -> h.createQuery(
              "SELECT external_userid FROM contacts WHERE external_userid IN (<ids>) AND name <> ''")
          .bindList("ids", List.copyOf(unnamed)).mapTo(String.class).list()));
    }
    return List.copyOf(unnamed);
  }

  @Override
  public void nameIfUnnamed(Map<String, String> nameByExternalUserId, String channel) {
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

  @Override
  public boolean recordReply(String externalUserId) {
    return raiseTo(externalUserId, "potential", "replied");
  }

  @Override
  public boolean raiseTo(String externalUserId, String layer, String reason) {
    int target = TagCatalog.LAYERS.indexOf(layer);
    if (target < 0) {
      throw new IllegalArgumentException("unknown layer " + layer);
    }
    return jdbi.inTransaction(h -> {
      String current = h.createQuery("SELECT layer FROM contacts WHERE external_userid = :ext")
          .bind("ext", externalUserId).mapTo(String.class).findOne().orElse(null);
      if (current == null || TagCatalog.LAYERS.indexOf(current) >= target) {
        return false;
      }
      long now = clock.millis();
      h.createUpdate("UPDATE contacts SET layer = :layer, updated_at = :now WHERE external_userid = :ext")
          .bind("layer", layer).bind("now", now).bind("ext", externalUserId).execute();
      h.createUpdate("INSERT INTO layer_changes (external_userid, from_layer, to_layer, reason, at) "
              + "VALUES (:ext, :from, :to, :reason, :now)")
          .bind("ext", externalUserId).bind("from", current).bind("to", layer).bind("reason", reason).bind("now", now)
          .execute();
      String oldTag = tags.layerTag(current);
      String newTag = tags.layerTag(layer);
      if (oldTag != null) {
        h.createUpdate("DELETE FROM contact_tags WHERE external_userid = :ext AND tag_name = :tag")
            .bind("ext", externalUserId).bind("tag", oldTag).execute();
      }
      if (newTag != null) {
        insertTag(h, externalUserId, newTag, "auto", now);
      }
      mark(h, externalUserId, newTag, oldTag, "layer:" + externalUserId + ":" + layer);
      meters.counter("liuliang.message.layer_moves", "to", layer).increment();
      return true;
    });
  }

  @Override
  public void tag(String externalUserId, String tagName, String source) {
    jdbi.useTransaction(h -> {
      long now = clock.millis();
      if (insertTag(h, externalUserId, tagName, source, now)) {
        mark(h, externalUserId, tagName, null, "tag:" + externalUserId + ":+" + tagName + ":" + now);
      }
    });
  }

  @Override
  public void untag(String externalUserId, String tagName) {
    jdbi.useTransaction(h -> {
      int removed = h.createUpdate("DELETE FROM contact_tags WHERE external_userid = :ext AND tag_name = :tag")
          .bind("ext", externalUserId).bind("tag", tagName).execute();
      if (removed > 0) {
        mark(h, externalUserId, null, tagName, "tag:" + externalUserId + ":-" + tagName + ":" + clock.millis());
      }
    });
  }

  @Override
  public void setOptedOut(String externalUserId, boolean optedOut) {
    jdbi.useHandle(h -> h.createUpdate("UPDATE contacts SET opted_out = :v, updated_at = :now WHERE external_userid = :ext")
        .bind("v", optedOut ? 1 : 0).bind("now", clock.millis()).bind("ext", externalUserId).execute());
  }

  @Override
  public List<String> followers(String externalUserId) {
    return jdbi.withHandle(h -> followers(h, externalUserId));
  }

  private static List<String> followers(Handle h, String externalUserId) {
    return h.createQuery("SELECT userid FROM contact_follows WHERE external_userid = :ext AND status = 'active' "
            + "ORDER BY added_at, userid")
        .bind("ext", externalUserId).mapTo(String.class).list();
  }

  private static boolean insertTag(Handle h, String ext, String tag, String source, long now) {
    return h.createUpdate("INSERT INTO contact_tags (external_userid, tag_name, source, added_at) "
            + "VALUES (:ext, :tag, :source, :now) ON CONFLICT (external_userid, tag_name) DO NOTHING")
        .bind("ext", ext).bind("tag", tag).bind("source", source).bind("now", now).execute() == 1;
  }

  /** mark_tag for the first follower, when both tag ids are known; otherwise the tag stays local. */
  private void mark(Handle h, String ext, String add, String remove, String idemKey) {
    List<String> followers = followers(h, ext);
    Optional<String> addId = add == null ? Optional.empty() : tagId(h, add);
    Optional<String> removeId = remove == null ? Optional.empty() : tagId(h, remove);
    if (followers.isEmpty() || (addId.isEmpty() && removeId.isEmpty())) {
      meters.counter("liuliang.message.tags_local_only").increment();
      return;
    }
    ObjectNode body = json.createObjectNode().put("userid", followers.get(0)).put("external_userid", ext);
    addId.ifPresent(id -> body.putArray("add_tag").add(id));
    removeId.ifPresent(id -> body.putArray("remove_tag").add(id));
    Instant now = clock.instant();
    outbox.enqueue(h, OutboxRequest.internal(idemKey, "message.tag", MARK_TAG, body, now, now.plus(Duration.ofHours(24))));
  }

  private static Optional<String> tagId(Handle h, String tagName) {
    return h.createQuery("SELECT tag_id FROM corp_tags WHERE tag_name = :tag").bind("tag", tagName)
        .mapTo(String.class).findFirst();
  }
}
