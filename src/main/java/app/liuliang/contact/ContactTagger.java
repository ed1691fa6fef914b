package app.liuliang.contact;

import app.liuliang.wecom.Outbox;
import app.liuliang.wecom.OutboxRequest;
import app.liuliang.wecom.WeComApiException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Puts corp tags of {@code tags.yaml} on contacts: {@code mark_tag} through the outbox (one call per
 * staff member following the contact, adds and removes together) and the {@code contact_tags} rows.
 * Issue 4 tags contacts by intent with {@link #tag(String, String, String)}.
 */
public final class ContactTagger {

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ContactTagger.class);

  /** Tags still land after a WeCom outage: they are retried much longer than a welcome. */
  static final Duration TAG_DEADLINE = Duration.ofDays(7);

  private final Jdbi jdbi;
  private final Outbox outbox;
  private final TagSync sync;
  private final TagCatalog catalog;
  private final ContactRepository contacts;
  private final ObjectMapper json;
  private final Clock clock;

  ContactTagger(Jdbi jdbi, Outbox outbox, TagSync sync, TagCatalog catalog, ContactRepository contacts,
      ObjectMapper json, Clock clock) {
    this.jdbi = jdbi;
    this.outbox = outbox;
    this.sync = sync;
    this.catalog = catalog;
    this.contacts = contacts;
    this.json = json;
    this.clock = clock;
  }

  /**
   * Adds a tag of {@code tags.yaml} (e.g. 需求-种植) to the contact in WeCom and in {@code contact_tags}.
   *
   * @param source {@code auto}, {@code staff} or {@code intent}
   * @return false when the contact is unknown or the tag was already recorded
   * @throws IllegalArgumentException for a tag that is not in {@code tags.yaml}
   * @throws WeComApiException when the tag ids could not be fetched from WeCom (try again later)
   */
  public boolean tag(String externalUserId, String tag, String source) throws WeComApiException {
    if (!catalog.contains(tag)) {
      throw new IllegalArgumentException("tag \"" + tag + "\" is not in tags.yaml");
    }
    sync.ensureSynced();
    return jdbi.inTransaction(h -> {
      if (contacts.find(h, externalUserId).isEmpty() || !contacts.addTag(h, externalUserId, tag, source, clock.millis())) {
        return false;
      }
      mark(h, externalUserId, contacts.activeFollowers(h, externalUserId), List.of(tag), List.of(),
          "tag:" + externalUserId + ":" + tag + ":" + clock.millis());
      return true;
    });
  }

  /**
   * Takes a tag off the contact, in {@code contact_tags} and for every follower in WeCom (e.g. 已退订
   * when a patient opts back in).
   *
   * @return false when the contact did not have it
   * @throws WeComApiException when the tag ids could not be fetched from WeCom (try again later)
   */
  public boolean untag(String externalUserId, String tag) throws WeComApiException {
    sync.ensureSynced();
    return jdbi.inTransaction(h -> {
      if (!contacts.removeTag(h, externalUserId, tag)) {
        return false;
      }
      mark(h, externalUserId, contacts.activeFollowers(h, externalUserId), List.of(), List.of(tag),
          "untag:" + externalUserId + ":" + tag + ":" + clock.millis());
      return true;
    });
  }

  /** True when every tag of tags.yaml has its WeCom id (no WeCom call). */
  boolean idsKnown() {
    return sync.allKnown();
  }

  /** Makes sure tag ids are known (a WeCom read when they are not); call before a transaction. */
  void ready() throws WeComApiException {
    sync.ensureSynced();
  }

  /**
   * Enqueues one {@code mark_tag} per follower, in the caller's transaction. {@code idemKey} names the
   * cause; the follower's userid is appended.
   */
  void mark(Handle h, String externalUserId, List<String> userIds, List<String> add, List<String> remove, String idemKey) {
    Instant now = clock.instant();
    List<String> addIds = idsOf(add);
    List<String> removeIds = idsOf(remove);
    if (addIds.isEmpty() && removeIds.isEmpty()) {
      return;
    }
    for (String userId : userIds) {
      ObjectNode body = json.createObjectNode().put("userid", userId).put("external_userid", externalUserId);
      addIds.forEach(id -> body.withArray("add_tag").add(id));
      removeIds.forEach(id -> body.withArray("remove_tag").add(id));
      outbox.enqueue(h, OutboxRequest.internal(idemKey + ":" + userId, "tag", "/cgi-bin/externalcontact/mark_tag",
          body, now, now.plus(TAG_DEADLINE)));
    }
  }

  private List<String> idsOf(List<String> tags) {
    List<String> ids = new java.util.ArrayList<>();
    for (String tag : tags) {
      sync.id(tag).ifPresentOrElse(ids::add,
          () -> log.warn("corp tag \"{}\" has no WeCom id (tag sync gave none); left off", tag));
    }
    return ids;
  }
}
