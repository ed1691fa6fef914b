package app.liuliang.contact;

import app.liuliang.wecom.Outbox;
import app.liuliang.wecom.OutboxRequest;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Referral tracking: referrer → referee, counts per referrer, and the KOC ranking. The top N
 * referrers ({@code tags.yaml top_referrers}) carry the KOC tag and the super layer; ties at the
 * boundary go to whoever reached the count first, then by external_userid, so the ranking is
 * deterministic. Admins get an app message when someone enters the top N.
 */
final class Referrals {

  private static final Logger log = LoggerFactory.getLogger(Referrals.class);

  /** A ranked referrer. */
  record Rank(String externalUserId, String name, int referrals) {
  }

  private final ContactRepository contacts;
  private final ContactTagger tagger;
  private final ContactLayers layers;
  private final TagCatalog catalog;
  private final Outbox outbox;
  private final ObjectMapper json;
  private final Clock clock;
  private final List<String> admins;
  private final int agentId;

  Referrals(ContactRepository contacts, ContactTagger tagger, ContactLayers layers, TagCatalog catalog, Outbox outbox,
      ObjectMapper json, Clock clock, List<String> admins, int agentId) {
    this.contacts = contacts;
    this.tagger = tagger;
    this.layers = layers;
    this.catalog = catalog;
    this.outbox = outbox;
    this.json = json;
    this.clock = clock;
    this.admins = List.copyOf(admins);
    this.agentId = agentId;
  }

  /**
   * Records that {@code referrer} brought {@code referee} (once per referee; self-referral ignored)
   * and updates the KOC ranking. Returns true when it was new.
   */
  boolean record(Handle h, String referee, String referrer, String code) {
    if (referee.equals(referrer)) {
      return false;
    }
    // Two friends of one referrer added on two nodes at once: the second waits here, then ranks with both.
    contacts.lock(h, referrer);
    int added = h.createUpdate("INSERT INTO referrals (referee_external_userid, referrer_external_userid, code, created_at) "
            + "VALUES (:referee, :referrer, :code, :now) ON CONFLICT (referee_external_userid) DO NOTHING")
        .bind("referee", referee).bind("referrer", referrer).bind("code", code).bind("now", clock.millis()).execute();
    if (added == 0) {
      return false;
    }
    contacts.setReferrer(h, referee, referrer);
    log.info("referral: {} referred {} (code {})", referrer, referee, code);
    rank(h, referee);
    return true;
  }

  int countFor(Handle h, String referrer) {
    return h.createQuery("SELECT COUNT(*) FROM referrals WHERE referrer_external_userid = :r")
        .bind("r", referrer).mapTo(Integer.class).one();
  }

  /**
   * The top N referrers who are still the clinic's contacts, best first: a patient who deleted us
   * keeps their referrals in the record but gives up the place (and the KOC tag) to the next one.
   */
  List<Rank> top(Handle h) {
    return h.createQuery("SELECT r.referrer_external_userid AS ext, COALESCE(c.name, '') AS name, COUNT(*) AS n, "
            + "MAX(r.created_at) AS reached FROM referrals r JOIN contacts c ON c.external_userid = r.referrer_external_userid "
            + "WHERE c.status = 'active' "
            + "GROUP BY r.referrer_external_userid, c.name ORDER BY n DESC, reached ASC, ext ASC LIMIT :limit")
        .bind("limit", catalog.topReferrers())
        .map((rs, ctx) -> new Rank(rs.getString("ext"), rs.getString("name"), rs.getInt("n"))).list();
  }

  /** A contact became lost or removed: if they referred anyone, the ranking changes. */
  void contactEnded(Handle h, String ext) {
    if (countFor(h, ext) > 0) {
      rank(h, "ended-" + ext);
    }
  }

  /** Brings the KOC tag in line with the ranking; {@code trigger} (the new referee) keys the actions. */
  private void rank(Handle h, String trigger) {
    List<Rank> top = top(h);
    Set<String> holders = new HashSet<>(h.createQuery(
            "SELECT external_userid FROM contact_tags WHERE tag_name = :tag AND source = 'auto'")
        .bind("tag", catalog.kocTag()).mapTo(String.class).list());
    Set<String> ranked = new HashSet<>();
    long now = clock.millis();
    for (int i = 0; i < top.size(); i++) {
      Rank r = top.get(i);
      ranked.add(r.externalUserId());
      // The tag row is the compare-and-set: of two nodes ranking at once, only the one that adds it tells the admins.
      if (!holders.contains(r.externalUserId()) && contacts.find(h, r.externalUserId()).isPresent()
          && contacts.addTag(h, r.externalUserId(), catalog.kocTag(), "auto", now)) {
        tagger.mark(h, r.externalUserId(), contacts.activeFollowers(h, r.externalUserId()), List.of(catalog.kocTag()),
            List.of(), "koc:add:" + r.externalUserId() + ":" + trigger);
        layers.raiseTo(h, r.externalUserId(), LayerPolicy.SUPER, "KOC: top " + catalog.topReferrers() + " referrers");
        tellAdmins(h, r, i + 1, trigger);
      }
    }
    for (String holder : holders) {
      if (!ranked.contains(holder) && contacts.removeTag(h, holder, catalog.kocTag())) {
        tagger.mark(h, holder, contacts.activeFollowers(h, holder), List.of(), List.of(catalog.kocTag()),
            "koc:remove:" + holder + ":" + trigger);
        log.info("referral: {} left the top {}", holder, catalog.topReferrers());
      }
    }
  }

  private void tellAdmins(Handle h, Rank r, int place, String trigger) {
    log.info("referral: {} entered the top {} at place {}", r.externalUserId(), catalog.topReferrers(), place);
    if (admins.isEmpty()) {
      return;
    }
    String who = r.name().isEmpty() ? r.externalUserId() : r.name();
    String text = "老带新排行：" + who + " 已推荐 " + r.referrals() + " 位新朋友，进入前 " + catalog.topReferrers()
        + " 名（第 " + place + " 名），已打上「" + catalog.kocTag() + "」标签。可以安排一份感谢礼，邀请加入超级推荐官计划。";
    ObjectNode body = json.createObjectNode().put("touser", String.join("|", admins)).put("msgtype", "text")
        .put("agentid", agentId).put("enable_duplicate_check", 1).put("duplicate_check_interval", 1800);
    body.putObject("text").put("content", text);
    Instant now = clock.instant();
    outbox.enqueue(h, OutboxRequest.internal("koc:notify:" + r.externalUserId() + ":" + trigger, "koc.notify",
        "/cgi-bin/message/send", body, now, now.plus(Duration.ofDays(1))));
  }
}
