package app.liuliang.contact;

import app.liuliang.callback.CallbackEvent;
import app.liuliang.callback.CallbackHandler;
import app.liuliang.wecom.Outbox;
import app.liuliang.wecom.WeComClient;
import app.liuliang.wecom.WeComClient.ExternalContact;
import app.liuliang.wecom.WeComClient.FollowTag;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The other {@code change_external_contact} events: the patient deleted us ({@code del_follow_user}:
 * lost, pending messages cancelled), staff deleted the patient ({@code del_external_contact}:
 * removed), staff edited tags or remark ({@code edit_external_contact}: tags re-read, layer set by a
 * staff layer tag), and a failed hand-over ({@code transfer_fail}: recorded).
 */
final class ContactChangeHandler implements CallbackHandler {

  private static final Logger log = LoggerFactory.getLogger(ContactChangeHandler.class);
  private static final Set<String> KINDS = Set.of("del_follow_user", "del_external_contact", "edit_external_contact",
      "transfer_fail");

  private final Jdbi jdbi;
  private final WeComClient wecom;
  private final Outbox outbox;
  private final ContactRepository contacts;
  private final ContactLayers layers;
  private final ContactTagger tagger;
  private final ChannelResolver channels;
  private final TagCatalog catalog;
  private final Referrals referrals;
  private final Clock clock;

  ContactChangeHandler(Jdbi jdbi, WeComClient wecom, Outbox outbox, ContactRepository contacts, ContactLayers layers,
      ContactTagger tagger, ChannelResolver channels, TagCatalog catalog, Referrals referrals, Clock clock) {
    this.jdbi = jdbi;
    this.wecom = wecom;
    this.outbox = outbox;
    this.contacts = contacts;
    this.layers = layers;
    this.tagger = tagger;
    this.channels = channels;
    this.catalog = catalog;
    this.referrals = referrals;
    this.clock = clock;
  }

  @Override
  public boolean accepts(CallbackEvent event) {
    return "change_external_contact".equals(event.event()) && KINDS.contains(event.changeType());
  }

  @Override
  public void handle(CallbackEvent event) throws Exception {
    String ext = event.field("ExternalUserID", "");
    String userId = event.field("UserID", "");
    if (ext.isEmpty()) {
      throw new PermanentFailure(event.changeType() + " without ExternalUserID");
    }
    switch (event.changeType()) {
      case "del_follow_user" -> ended(event, ext, userId, "lost");
      case "del_external_contact" -> ended(event, ext, userId,
          "DELETE_BY_TRANSFER".equals(event.field("Source")) ? "transferred" : "removed");
      case "edit_external_contact" -> edited(ext, userId);
      default -> jdbi.useHandle(h -> contacts.addActivity(h, ext, "transfer_fail", null, null,
          event.receivedAt().toEpochMilli(), "takeover=" + userId + " reason=" + event.field("FailReason", "")));
    }
  }

  /** A follow ended; with no follower left the contact is lost / removed and nothing more is sent. */
  private void ended(CallbackEvent event, String ext, String userId, String status) {
    jdbi.useTransaction(h -> {
      contacts.setFollowStatus(h, ext, userId, status);
      contacts.addActivity(h, ext, status, null, null, event.receivedAt().toEpochMilli(), "userid=" + userId);
      if (!"transferred".equals(status) && contacts.activeFollowers(h, ext).isEmpty()
          && contacts.find(h, ext).isPresent()) {
        contacts.setStatus(h, ext, status, clock.millis());
        int cancelled = outbox.cancelPendingFor(h, ext, "contact " + status);
        log.info("contact {} {} (by {}): {} pending actions cancelled", ext, status, userId, cancelled);
        referrals.contactEnded(h, ext);
      }
    });
  }

  /** Staff edited the contact: re-read their corp tags; a layer tag staff added sets the layer. */
  private void edited(String ext, String userId) throws Exception {
    ExternalContact contact = wecom.getExternalContact(ext);
    List<String> corpTags = contact.followUsers().stream().flatMap(f -> f.tags().stream())
        .filter(t -> t.type() == 1 && catalog.contains(t.tagName())).map(FollowTag::tagName).distinct().toList();
    tagger.ready();
    jdbi.useTransaction(h -> {
      long now = clock.millis();
      if (contacts.find(h, ext).isEmpty()) {
        String state = contact.followUsers().stream().filter(f -> f.userId().equals(userId)).findFirst()
            .map(WeComClient.FollowUser::state).orElse("");
        ChannelResolver.Resolution came = channels.resolve(state);
        contacts.upsert(h, ext, contact.name(), came.channel().id(), came.store(), userId, now);
        contacts.upsertFollow(h, ext, userId, state, now);
      }
      contacts.updateName(h, ext, contact.name(), now);
      contacts.saveRemarks(h, ext, contact.followUsers());
      // Tags we put on ourselves keep their source; the rest are the staff's.
      contacts.replaceStaffTags(h, ext, corpTags, now);
      String current = contacts.find(h, ext).orElseThrow().layer();
      if (!layerMovePending(h, ext)) {
        Optional<String> chosen = LayerPolicy.staffChoice(current, corpTags, catalog);
        chosen.ifPresent(layer -> layers.setByStaff(h, ext, layer, "staff tag " + catalog.layerTag(layer)));
      }
    });
  }

  /**
   * True while one of our own layer tag changes has not reached WeCom: the tags read now are stale
   * and must not be mistaken for a staff decision.
   */
  private static boolean layerMovePending(Handle h, String ext) {
    return h.createQuery("SELECT COUNT(*) FROM outbox WHERE idem_key LIKE :prefix AND status IN ('pending', 'sending')")
        .bind("prefix", "layer:" + ext + ":%").mapTo(Integer.class).one() > 0;
  }
}
