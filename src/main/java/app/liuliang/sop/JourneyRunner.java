package app.liuliang.sop;

import app.liuliang.wecom.Outbox;
import app.liuliang.wecom.OutboxRequest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.Period;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates journeys and recalls against the store (a Quartz job every {@code journeys_every}):
 * each step due now (within its window) goes 1:1 to each matching contact not yet reached, through
 * the staff member who follows them. A journey stops for a patient who replied (messages in),
 * booked (a visit or order after the trigger), opted out or was lost; recalls stop when the
 * patient came back for the same visit type.
 */
final class JourneyRunner {

  private static final Logger log = LoggerFactory.getLogger(JourneyRunner.class);

  /** A contact a step is due for. */
  private final app.liuliang.contact.ReferralCodes referralCodes;
  private final app.liuliang.contact.GroupOffers groupOffers;
  private final app.liuliang.wecom.WeComClient wecom;

  record Due(String plan, String itemId, String externalUserId, String name, String sender, long dueAt) {
  }

  private final Jdbi jdbi;
  private final SopRepository repository;
  private final AudienceQuery caps;
  private final Outbox outbox;
  private final ObjectMapper json;
  private final Supplier<Journeys> config;
  private final ZoneId zone;

  JourneyRunner(SopRepository repository, AudienceQuery caps, Outbox outbox, ObjectMapper json, Supplier<Journeys> config,
      ZoneId zone, app.liuliang.contact.ReferralCodes referralCodes, app.liuliang.contact.GroupOffers groupOffers,
      app.liuliang.wecom.WeComClient wecom) {
    this.referralCodes = referralCodes;
    this.groupOffers = groupOffers;
    this.wecom = wecom;
    this.jdbi = repository.jdbi();
    this.repository = repository;
    this.caps = caps;
    this.outbox = outbox;
    this.json = json;
    this.config = config;
    this.zone = zone;
  }

  /** Sends every step due at {@code now}; returns how many messages were queued. */
  int run(Instant now) {
    Journeys journeys = config.get();
    int sent = 0;
    for (Journeys.Journey journey : journeys.journeys()) {
      for (Journeys.Step step : journey.steps()) {
        Period offset = Period.ofDays(step.day());
        List<Due> due = "visited".equals(journey.trigger())
            ? visited(journey, step, offset, now) : added(journey, step, offset, now);
        sent += send(due, step.text(), "sop.journey", now);
      }
    }
    for (Journeys.VisitRecall recall : journeys.recalls().visits()) {
      sent += send(visitRecalls(recall, now), recall.text(), "sop.recall", now);
    }
    if (journeys.recalls().memberships() != null) {
      sent += send(memberships(journeys.recalls().memberships(), now), journeys.recalls().memberships().text(), "sop.recall", now);
    }
    return sent;
  }

  private static final String SENDER = "(SELECT f.userid FROM contact_follows f WHERE f.external_userid = c.external_userid "
      + "AND f.status = 'active' ORDER BY f.added_at LIMIT 1)";
  private static final String REACHABLE = " c.opted_out = 0 AND c.status = 'active' ";

  private List<Due> added(Journeys.Journey j, Journeys.Step step, Period offset, Instant now) {
    String sql = "SELECT c.external_userid, c.name, " + SENDER + ", c.added_at FROM contacts c WHERE" + REACHABLE
        + "AND c.added_at BETWEEN :from AND :to" + filters(j)
        + " AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.external_userid = c.external_userid AND m.direction = 'in' AND m.at > c.added_at)"
        + " AND NOT EXISTS (SELECT 1 FROM contact_activities a WHERE a.external_userid = c.external_userid "
        + "AND a.type IN ('visit', 'order') AND a.at > c.added_at)";
    return query(sql, j, "journey:" + j.id(), "day-" + step.day(), false, offset, step.at(), j.window(), now);
  }

  private List<Due> visited(Journeys.Journey j, Journeys.Step step, Period offset, Instant now) {
    String sql = "SELECT c.external_userid, c.name, " + SENDER + ", v.at, v.id FROM contact_activities v "
        + "JOIN contacts c ON c.external_userid = v.external_userid WHERE v.type = 'visit' AND" + REACHABLE
        + "AND v.at BETWEEN :from AND :to" + filters(j)
        + " AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.external_userid = c.external_userid AND m.direction = 'in' AND m.at > v.at)"
        + " AND NOT EXISTS (SELECT 1 FROM contact_activities a WHERE a.external_userid = c.external_userid "
        + "AND a.type IN ('visit', 'order') AND a.at > v.at)";
    return query(sql, j, "journey:" + j.id(), "day-" + step.day(), true, offset, step.at(), j.window(), now);
  }

  private List<Due> visitRecalls(Journeys.VisitRecall r, Instant now) {
    String sql = "SELECT c.external_userid, c.name, " + SENDER + ", v.at, v.id FROM contact_activities v "
        + "JOIN contacts c ON c.external_userid = v.external_userid WHERE v.type = 'visit' AND v.subtype = :subtype AND"
        + REACHABLE + "AND v.at BETWEEN :from AND :to"
        + " AND NOT EXISTS (SELECT 1 FROM contact_activities a WHERE a.external_userid = c.external_userid "
        + "AND a.type = 'visit' AND a.subtype = v.subtype AND a.at > v.at)";
    Window w = window(r.after(), Duration.ofDays(1), now);
    return jdbi.withHandle(h -> h.createQuery(sql).bind("subtype", r.subtype()).bind("from", w.from).bind("to", w.to)
        .map((rs, ctx) -> due("recall:" + r.subtype(), "visit-" + rs.getLong(5), rs.getString(1), rs.getString(2),
            rs.getString(3), rs.getLong(4), r.after(), r.at()))
        .list()).stream().filter(d -> isDue(d, Duration.ofDays(1), now)).toList();
  }

  private List<Due> memberships(Journeys.MembershipRecall r, Instant now) {
    String sql = "SELECT c.external_userid, c.name, " + SENDER + ", v.detail, v.id, v.subtype FROM contact_activities v "
        + "JOIN contacts c ON c.external_userid = v.external_userid WHERE v.type = 'membership' AND" + REACHABLE
        + "AND NOT EXISTS (SELECT 1 FROM contact_activities a WHERE a.external_userid = c.external_userid "
        + "AND a.type = 'membership_used' AND a.subtype = v.subtype AND a.at > v.at)";
    LocalTime at = LocalTime.parse(r.at());
    return jdbi.withHandle(h -> h.createQuery(sql).map((rs, ctx) -> {
      long expires = expiresAt(rs.getString(4));
      ZonedDateTime due = Instant.ofEpochMilli(expires).atZone(zone).toLocalDate().minus(r.before()).atTime(at).atZone(zone);
      return new Due("membership:" + rs.getString(6), "expiry-" + rs.getLong(5), rs.getString(1), rs.getString(2),
          rs.getString(3), expires <= 0 ? Long.MAX_VALUE : due.toInstant().toEpochMilli());
    }).list()).stream().filter(d -> isDue(d, Duration.ofDays(1), now)).toList();
  }

  private long expiresAt(String detail) {
    try {
      JsonNode node = detail == null ? null : json.readTree(detail);
      return node == null ? 0 : node.path("expires_at").asLong(0);
    } catch (Exception e) {
      return 0;
    }
  }

  private record Window(long from, long to) {
  }

  /** Trigger instants whose step could be due now: a day of slack either side of the exact rule. */
  private Window window(Period offset, Duration late, Instant now) {
    ZonedDateTime local = now.atZone(zone).minus(offset);
    return new Window(local.minus(late).minusDays(2).toInstant().toEpochMilli(), local.plusDays(1).toInstant().toEpochMilli());
  }

  private List<Due> query(String sql, Journeys.Journey j, String plan, String step, boolean perVisit, Period offset,
      String at, Duration late, Instant now) {
    Window w = window(offset, late, now);
    return jdbi.withHandle(h -> {
      Query q = h.createQuery(sql).bind("from", w.from).bind("to", w.to);
      if (!j.channels().isEmpty()) {
        q.bindList("channels", j.channels());
      }
      if (!j.layers().isEmpty()) {
        q.bindList("layers", j.layers());
      }
      return q.map((rs, ctx) -> due(plan, perVisit ? step + "@" + rs.getLong(5) : step, rs.getString(1), rs.getString(2),
          rs.getString(3), rs.getLong(4), offset, at)).list();
    }).stream().filter(d -> isDue(d, late, now)).toList();
  }

  private Due due(String plan, String itemId, String ext, String name, String sender, long trigger, Period offset, String at) {
    ZonedDateTime due = Instant.ofEpochMilli(trigger).atZone(zone).toLocalDate().plus(offset)
        .atTime(LocalTime.parse(at)).atZone(zone);
    return new Due(plan, itemId, ext, name, sender, due.toInstant().toEpochMilli());
  }

  private static boolean isDue(Due d, Duration late, Instant now) {
    return d.sender() != null && d.dueAt() <= now.toEpochMilli() && now.toEpochMilli() - d.dueAt() <= late.toMillis();
  }

  private static String filters(Journeys.Journey j) {
    return (j.channels().isEmpty() ? "" : " AND c.channel IN (<channels>)") + (j.layers().isEmpty() ? "" : " AND c.layer IN (<layers>)");
  }

  /**
   * {name}, {referral_code} and {referral_qr} for this patient: the QR (their personal referral code,
   * made now if need be) goes as an image attachment; without one the placeholder is dropped. Group
   * offers ({group_qr:…} as the group code's image, {group_link:…} as its URL) are filled in too.
   */
  private String personalise(String text, Due d, ObjectNode body) {
    app.liuliang.contact.GroupOffers.Applied offers = groupOffers.apply(text);
    for (String qr : offers.qrImages()) {
      attachments(body).addObject().put("msgtype", "image").putObject("image").put("pic_url", qr);
    }
    String out = offers.text().replace("{name}", d.name() == null ? "" : d.name());
    if (out.contains("{referral_code}")) {
      String code = jdbi.withHandle(h -> h.createQuery("SELECT referral_code FROM contacts WHERE external_userid = :ext")
          .bind("ext", d.externalUserId()).mapTo(String.class).findOne().orElse(""));
      out = out.replace("{referral_code}", code == null ? "" : code);
    }
    if (out.contains(ContentRules.REFERRAL_QR)) {
      out = out.replace(ContentRules.REFERRAL_QR, "");
      referralCodes.forPatient(d.externalUserId()).flatMap(this::upload).ifPresent(mediaId ->
          attachments(body).addObject().put("msgtype", "image").putObject("image").put("media_id", mediaId));
    }
    return out;
  }

  private boolean delivered(Due d) {
    return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM sop_deliveries WHERE week = :w AND item_id = :i "
        + "AND target = :t").bind("w", d.plan()).bind("i", d.itemId()).bind("t", d.externalUserId())
        .mapTo(Integer.class).one()) > 0;
  }

  private static com.fasterxml.jackson.databind.node.ArrayNode attachments(ObjectNode body) {
    return body.has("attachments") ? (com.fasterxml.jackson.databind.node.ArrayNode) body.get("attachments")
        : body.putArray("attachments");
  }

  private java.util.Optional<String> upload(app.liuliang.contact.ReferralCodes.PersonalCode code) {
    try {
      return java.util.Optional.of(wecom.uploadImage("referral-qr", code.qrPng()));
    } catch (app.liuliang.wecom.WeComApiException e) {
      log.warn("journey step: referral QR not uploaded ({}); sent without it", e.getMessage());
      return java.util.Optional.empty();
    }
  }

  private int send(List<Due> due, String text, String purpose, Instant now) {
    int sent = 0;
    for (Due d : due) {
      if (!caps.underCap(d.externalUserId(), now, zone)) {
        continue;
      }
      String key = "sop:" + d.plan() + ":" + d.itemId() + ":" + d.externalUserId();
      if (text.contains(ContentRules.REFERRAL_QR) && delivered(d)) {
        continue;  // sent before: no second upload of their QR (the delivery row keeps every other step once)
      }
      ObjectNode body = json.createObjectNode().put("chat_type", "single").put("sender", d.sender());
      body.putObject("text").put("content", personalise(text, d, body));
      body.putArray("external_userid").add(d.externalUserId());
      boolean queued = jdbi.inTransaction(h -> {
        repository.lockDeliveries(h);  // the cap checked above, again where no other sender can change it
        if (!caps.overCap(h, now, zone, List.of(d.externalUserId())).isEmpty()) {
          return false;
        }
        if (!repository.insertDelivery(h, d.plan(), d.itemId(), d.externalUserId(), key, "queued", now.toEpochMilli())) {
          return false;
        }
        repository.insertBroadcast(h, key, d.plan(), d.itemId(), d.sender(), SopItem.PERSONAL, now.toEpochMilli());
        return outbox.enqueue(h, OutboxRequest.toPatient(key, purpose, SopDispatcher.ADD_MSG_TEMPLATE, body,
            d.externalUserId(), false, now, now.plus(Duration.ofHours(6))));
      });
      sent += queued ? 1 : 0;
    }
    if (sent > 0) {
      log.info("sop {} queued {} follow-up messages", purpose, sent);
    }
    return sent;
  }
}
