package app.liuliang.contact;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;

/**
 * Visits, orders and memberships from the clinic's practice system ({@code POST /api/events}):
 * recorded as contact activities in one transaction with the layer move they cause (a visit or an
 * order → ordered, the second → repeat, a membership → super).
 */
public final class PracticeEvents {

  static final Set<String> TYPES = Set.of("visit", "order", "membership");

  /**
   * One event as the practice system sends it.
   *
   * @param externalUserId the WeCom contact, or else
   * @param phone          the patient's phone (matched against contacts.phone)
   * @param type           visit | order | membership
   * @param amount         optional, in yuan
   * @param at             ISO-8601 (with offset, or local time in the clinic's time zone); default now
   * @param subtype        optional, e.g. the visit type: cleaning, ortho_adjustment
   */
  public record Event(String externalUserId, String phone, String type, BigDecimal amount, String at, String subtype) {
  }

  /** What happened: the contact, its layer now, and whether it changed. */
  public record Outcome(String externalUserId, String layer, boolean layerChanged) {
  }

  /** Input that cannot be recorded; nothing was written. The message says why. */
  public static final class Rejected extends RuntimeException {
    public Rejected(String message) {
      super(message);
    }
  }

  private final Jdbi jdbi;
  private final ContactRepository contacts;
  private final ContactLayers layers;
  private final ContactTagger tagger;
  private final Clock clock;
  private final ZoneId zone;

  PracticeEvents(Jdbi jdbi, ContactRepository contacts, ContactLayers layers, ContactTagger tagger, Clock clock,
      ZoneId zone) {
    this.jdbi = jdbi;
    this.contacts = contacts;
    this.layers = layers;
    this.tagger = tagger;
    this.clock = clock;
    this.zone = zone;
  }

  /** Records the event; throws {@link Rejected} for bad input (nothing written). */
  public Outcome record(Event event) throws Exception {
    if (event.type() == null || !TYPES.contains(event.type())) {
      throw new Rejected("type must be one of visit, order, membership; was " + quote(event.type()));
    }
    if (isBlank(event.externalUserId()) && isBlank(event.phone())) {
      throw new Rejected("external_userid or phone is required");
    }
    if (event.amount() != null && event.amount().signum() < 0) {
      throw new Rejected("amount must not be negative; was " + event.amount());
    }
    long at = parseAt(event.at());
    tagger.ready();
    return jdbi.inTransaction(h -> {
      Optional<String> found = !isBlank(event.externalUserId())
          ? contacts.find(h, event.externalUserId()).map(ContactRepository.Contact::externalUserId)
          : contacts.byPhone(h, event.phone());
      String ext = found.orElseThrow(() -> new Rejected("unknown contact: " + (isBlank(event.externalUserId())
          ? "no contact has phone " + quote(event.phone()) : "external_userid " + quote(event.externalUserId()))));
      // Two events for one patient on two nodes: each must count the other's visit, or both stop at 'ordered'.
      contacts.lock(h, ext);
      if (!isBlank(event.externalUserId()) && !isBlank(event.phone())) {
        contacts.setPhone(h, ext, event.phone());
      }
      contacts.addActivity(h, ext, event.type(), event.subtype(), event.amount(), at, null);
      String target = event.type().equals("membership") ? LayerPolicy.SUPER
          : LayerPolicy.afterPurchase(contacts.countActivities(h, ext, List.of("visit", "order")));
      boolean changed = layers.raiseTo(h, ext, target, event.type() + (event.subtype() == null ? "" : " " + event.subtype()));
      return new Outcome(ext, contacts.find(h, ext).orElseThrow().layer(), changed);
    });
  }

  private long parseAt(String at) {
    if (isBlank(at)) {
      return clock.millis();
    }
    try {
      return OffsetDateTime.parse(at).toInstant().toEpochMilli();
    } catch (DateTimeParseException e) {
      try {
        return LocalDateTime.parse(at).atZone(zone).toInstant().toEpochMilli();
      } catch (DateTimeParseException e2) {
        throw new Rejected("at must be ISO-8601, e.g. 2026-11-23T10:30:00+08:00; was " + quote(at));
      }
    }
  }

  private static String quote(String s) {
    return s == null ? "nothing" : "\"" + s + "\"";
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }
}
