package app.liuliang.contact;

import app.liuliang.contact.ContactRepository.Contact;
import app.liuliang.wecom.WeComApiException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves contacts between layers (stranger → potential → intent → ordered → repeat → super) and keeps
 * the WeCom layer tag in step: one {@code mark_tag} per follower adds the new layer tag and removes
 * every other layer tag, so exactly one remains. Every move is recorded in {@code layer_changes}.
 *
 * <p>For other features (issue 4, messages): call {@link #recordReply} when a patient writes,
 * {@link #raiseTo} with {@code intent} when a need is known or a quote was sent. Automatic moves only
 * go up; a call that would go down or stay is a no-op returning false.
 */
public final class ContactLayers {

  private static final Logger log = LoggerFactory.getLogger(ContactLayers.class);
  private static final int MAX_MOVE_ATTEMPTS = 3;

  private final Jdbi jdbi;
  private final ContactRepository contacts;
  private final ContactTagger tagger;
  private final TagCatalog catalog;
  private final Clock clock;

  ContactLayers(Jdbi jdbi, ContactRepository contacts, ContactTagger tagger, TagCatalog catalog, Clock clock) {
    this.jdbi = jdbi;
    this.contacts = contacts;
    this.tagger = tagger;
    this.catalog = catalog;
    this.clock = clock;
  }

  /**
   * Raises the contact to {@code layer} if that is above its current one.
   *
   * @param layer  one of {@link TagCatalog#LAYERS}
   * @param reason recorded in {@code layer_changes}, e.g. "asked about implants"
   * @return true when the layer changed; false when the contact is unknown or already there or higher
   * @throws WeComApiException when the layer tag ids could not be fetched from WeCom (try again later)
   */
  public boolean raiseTo(String externalUserId, String layer, String reason) throws WeComApiException {
    LayerPolicy.rank(layer);
    tagger.ready();
    return jdbi.inTransaction(h -> raiseTo(h, externalUserId, layer, reason));
  }

  /** The patient replied or interacted: stranger → potential. */
  public boolean recordReply(String externalUserId) throws WeComApiException {
    return raiseTo(externalUserId, LayerPolicy.POTENTIAL, "replied");
  }

  /** The contact's layer, empty for an unknown contact. */
  public Optional<String> layerOf(String externalUserId) {
    return jdbi.withHandle(h -> contacts.find(h, externalUserId).map(Contact::layer));
  }

  /** As {@link #raiseTo(String, String, String)} in the caller's transaction (tag ids known). */
  boolean raiseTo(Handle h, String externalUserId, String layer, String reason) {
    return moveIf(h, externalUserId, layer, reason, current -> LayerPolicy.isRaise(current, layer));
  }

  /** Staff set the layer by tagging: any direction. */
  boolean setByStaff(Handle h, String externalUserId, String layer, String reason) {
    return moveIf(h, externalUserId, layer, reason, current -> !current.equals(layer));
  }

  /**
   * Moves the contact when {@code allowed} says so of its current layer. The move is a compare-and-set on
   * the layer read, so a raise decided on a stale layer (another node moved the patient meanwhile) is
   * decided again on the new one rather than undoing it.
   */
  private boolean moveIf(Handle h, String externalUserId, String to, String reason, Predicate<String> allowed) {
    for (int attempt = 0; attempt < MAX_MOVE_ATTEMPTS; attempt++) {
      Optional<Contact> contact = contacts.find(h, externalUserId);
      if (contact.isEmpty() || !allowed.test(contact.get().layer())) {
        return false;
      }
      if (move(h, contact.get(), to, reason)) {
        return true;
      }
    }
    log.warn("contact {}: layer kept changing under {} attempts to move it to {}", externalUserId, MAX_MOVE_ATTEMPTS, to);
    return false;
  }

  private boolean move(Handle h, Contact contact, String to, String reason) {
    long now = clock.millis();
    String ext = contact.externalUserId();
    if (!contacts.moveLayer(h, ext, contact.layer(), to, now)) {
      return false;
    }
    long changeId = h.createUpdate("INSERT INTO layer_changes (external_userid, from_layer, to_layer, reason, at) "
            + "VALUES (:ext, :from, :to, :reason, :at)")
        .bind("ext", ext).bind("from", contact.layer()).bind("to", to).bind("reason", reason).bind("at", now)
        .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
    List<String> others = LayerPolicy.otherLayerTags(to, catalog);
    others.forEach(tag -> contacts.removeTag(h, ext, tag));
    contacts.addTag(h, ext, catalog.layerTag(to), "auto", now);
    tagger.mark(h, ext, contacts.activeFollowers(h, ext), List.of(catalog.layerTag(to)), others,
        "layer:" + ext + ":" + changeId);
    log.info("contact {} layer {} -> {} ({})", ext, contact.layer(), to, reason);
    return true;
  }
}
