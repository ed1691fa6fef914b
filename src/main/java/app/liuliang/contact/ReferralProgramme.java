package app.liuliang.contact;

import app.liuliang.wecom.Outbox;
import app.liuliang.wecom.OutboxItem;
import app.liuliang.wecom.OutboxListener;
import app.liuliang.wecom.OutboxRequest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * 老带新 / 拉新有礼 ({@code referral.yaml programme}): decides which referrals count, grants the reward
 * tiers, tells referrers (a 1:1 message from the staff member who follows them) and the front desk
 * (an app message to that staff member), and records redemption. A friend counts once (the referral
 * is keyed by the friend), never for themselves, never a WeCom work account (staff trying a code),
 * only when they were new to the clinic, only if still a contact {@code counts_after} later, and (when
 * so configured) only after a first visit. Every
 * step is a compare-and-set, so two nodes scanning at once grant nothing twice.
 */
public final class ReferralProgramme implements OutboxListener {

  private static final Logger log = LoggerFactory.getLogger(ReferralProgramme.class);
  static final String REWARD_PURPOSE = "referral.reward";
  static final String PROGRESS_PURPOSE = "referral.progress";
  private static final String BROADCAST = "/cgi-bin/externalcontact/add_msg_template";
  private static final String APP_MESSAGE = "/cgi-bin/message/send";
  /** A friend already known to the clinic this long before the referral was not brought by it. */
  private static final long NEW_CONTACT_SLACK_MILLIS = 60_000;
  private static final int BATCH = 500;

  /** A referrer's standing, for the console. */
  public record Progress(String referrer, int counted, int pending, String nextReward, int remaining) {
  }

  /** A reward as the console lists it. */
  public record Reward(String referrer, String name, int friends, String reward, String status, Long earnedAt) {
  }

  private final Jdbi jdbi;
  private final ContactRepository contacts = new ContactRepository();
  private final Outbox outbox;
  private final ObjectMapper json;
  private final Clock clock;
  private final ZoneId zone;
  private final ReferralSettings.Programme programme;
  private final int agentId;

  ReferralProgramme(Jdbi jdbi, Outbox outbox, ObjectMapper json, Clock clock, ZoneId zone,
      ReferralSettings.Programme programme, int agentId) {
    this.jdbi = jdbi;
    this.outbox = outbox;
    this.json = json;
    this.clock = clock;
    this.zone = zone;
    this.programme = programme;
    this.agentId = agentId;
  }

  /** Decides the referrals that are due; returns how many were counted. */
  public int scan() {
    long now = clock.millis();
    long dueBefore = now - programme.countsAfter().toMillis();
    record Due(String referee, String referrer, long createdAt) {
    }
    List<Due> due = jdbi.withHandle(h -> h.createQuery("SELECT referee_external_userid, referrer_external_userid, created_at "
            + "FROM referrals WHERE status = 'pending' AND created_at <= :before ORDER BY created_at LIMIT :n")
        .bind("before", dueBefore).bind("n", BATCH)
        .map((rs, ctx) -> new Due(rs.getString(1), rs.getString(2), rs.getLong(3))).list());
    int counted = 0;
    for (Due d : due) {
      if (decide(d.referee(), d.referrer(), d.createdAt())) {
        counted++;
      }
    }
    return counted;
  }

  /** Package-private for the race test: two nodes deciding two friends of one referrer at once. */
  boolean decide(String referee, String referrer, long referredAt) {
    return jdbi.inTransaction(h -> {
      // The tiers are reached at an exact count: two friends counted at once on two nodes must not both see
      // the same count (the tier between them never granted), so one waits on the referrer's row.
      contacts.lock(h, referrer);
      record Friend(String status, long addedAt, boolean workAccount, String name) {
      }
      Optional<Friend> friend = h.createQuery("SELECT status, added_at, wecom_account, name FROM contacts "
              + "WHERE external_userid = :ext").bind("ext", referee)
          .map((rs, ctx) -> new Friend(rs.getString(1), rs.getLong(2), rs.getInt(3) == 1, rs.getString(4))).findOne();
      boolean stillThere = friend.filter(f -> "active".equals(f.status())).isPresent();
      // Staff trying a code from their WeCom account, or someone the clinic knew before, is no new friend.
      boolean wasNew = friend.filter(f -> f.addedAt() >= referredAt - NEW_CONTACT_SLACK_MILLIS && !f.workAccount())
          .isPresent();
      if (stillThere && wasNew && programme.requiresVisit() && !visited(h, referee)) {
        return false;  // stays pending until the first visit
      }
      String outcome = stillThere && wasNew && !referee.equals(referrer) ? "counted" : "dropped";
      int changed = h.createUpdate("UPDATE referrals SET status = :s, decided_at = :now "
              + "WHERE referee_external_userid = :ext AND status = 'pending'")
          .bind("s", outcome).bind("now", clock.millis()).bind("ext", referee).execute();
      if (changed == 0 || outcome.equals("dropped")) {
        return false;
      }
      int friends = h.createQuery("SELECT COUNT(*) FROM referrals WHERE referrer_external_userid = :r AND status = 'counted'")
          .bind("r", referrer).mapTo(Integer.class).one();
      String friendName = friend.map(Friend::name).orElse("");
      Optional<ReferralSettings.Tier> reached = programme.reachedAt(friends);
      if (reached.isPresent()) {
        grant(h, referrer, reached.get());
      } else {
        progress(h, referrer, friendName, friends);
      }
      log.info("referral: {} counts for {} ({} friends)", referee, referrer, friends);
      return true;
    });
  }

  private boolean visited(Handle h, String ext) {
    return h.createQuery("SELECT COUNT(*) FROM contact_activities WHERE external_userid = :ext AND type = 'visit'")
        .bind("ext", ext).mapTo(Integer.class).one() > 0;
  }

  /** The tier's reward, once: the referrer's message and the front desk's notice go out with it. */
  private void grant(Handle h, String referrer, ReferralSettings.Tier tier) {
    long now = clock.millis();
    int inserted = h.createUpdate("INSERT INTO referral_rewards (referrer_external_userid, friends, reward, status, earned_at) "
            + "VALUES (:r, :f, :reward, 'earned', :now) ON CONFLICT (referrer_external_userid, friends) DO NOTHING")
        .bind("r", referrer).bind("f", tier.friends()).bind("reward", tier.reward()).bind("now", now).execute();
    Optional<String> staff = follower(h, referrer);
    if (inserted == 0 || staff.isEmpty()) {
      return;
    }
    Instant at = clock.instant();
    outbox.enqueue(h, OutboxRequest.toPatient(rewardKey(referrer, tier.friends()), REWARD_PURPOSE, BROADCAST,
        oneToOne(staff.get(), referrer, tier.text()), referrer, false, at, at.plus(Duration.ofDays(7))));
    String name = h.createQuery("SELECT name FROM contacts WHERE external_userid = :ext").bind("ext", referrer)
        .mapTo(String.class).findOne().filter(n -> !n.isEmpty()).orElse("一位老患者");
    ObjectNode notice = json.createObjectNode().put("touser", staff.get()).put("msgtype", "text").put("agentid", agentId);
    notice.putObject("text").put("content", "【推荐奖励】" + name + " 已推荐 " + tier.friends() + " 位朋友，获得「"
        + tier.reward() + "」。请在企业微信里确认发出给他的消息，到店时兑现，并在控制台「推荐」页点「已兑现」。");
    outbox.enqueue(h, OutboxRequest.internal("referral-desk:" + referrer + ":" + tier.friends(), "referral.desk",
        APP_MESSAGE, notice, at, at.plus(Duration.ofDays(1))));
  }

  /** Below the next tier: one progress message a day at most (the per-patient cap of referral news). */
  private void progress(Handle h, String referrer, String friendName, int friends) {
    Optional<ReferralSettings.Tier> next = programme.next(friends);
    Optional<String> staff = follower(h, referrer);
    if (next.isEmpty() || staff.isEmpty()) {
      return;
    }
    String text = programme.progressText().replace("{friend}", friendName.isEmpty() ? "" : " " + friendName + " ")
        .replace("{count}", String.valueOf(friends)).replace("{remaining}", String.valueOf(next.get().friends() - friends))
        .replace("{next_reward}", next.get().reward());
    Instant at = clock.instant();
    LocalDate day = LocalDate.ofInstant(at, zone);
    outbox.enqueue(h, OutboxRequest.toPatient("referral-progress:" + referrer + ":" + day, PROGRESS_PURPOSE, BROADCAST,
        oneToOne(staff.get(), referrer, text), referrer, false, at, at.plus(Duration.ofDays(2))));
  }

  /** "3 天": how long a friend must stay before counting, as the console says it. */
  public String countsAfterLabel() {
    Duration d = programme.countsAfter();
    return d.toHours() % 24 == 0 ? d.toDays() + " 天" : d.toHours() + " 小时";
  }

  @Override
  public boolean accepts(String purpose) {
    return REWARD_PURPOSE.equals(purpose);
  }

  /** The reward message went out (or the staff member was asked to send it): earned → notified. */
  @Override
  public void inTransaction(Handle h, OutboxItem item, String status, JsonNode response) {
    if (!REWARD_PURPOSE.equals(item.purpose()) || !"sent".equals(status)) {
      return;
    }
    String[] parts = item.idemKey().split(":");
    h.createUpdate("UPDATE referral_rewards SET status = 'notified', notified_at = :now "
            + "WHERE referrer_external_userid = :r AND friends = :f AND status = 'earned'")
        .bind("r", parts[1]).bind("f", Integer.parseInt(parts[2])).bind("now", clock.millis()).execute();
  }

  /** The front desk handed the reward over; false when it was not earned (or already redeemed). */
  public boolean redeem(String referrer, int friends, String by) {
    return jdbi.withHandle(h -> h.createUpdate("UPDATE referral_rewards SET status = 'redeemed', redeemed_at = :now, "
            + "redeemed_by = :by WHERE referrer_external_userid = :r AND friends = :f AND status IN ('earned', 'notified')")
        .bind("r", referrer).bind("f", friends).bind("by", by).bind("now", clock.millis()).execute()) == 1;
  }

  public Progress progressOf(String referrer) {
    return jdbi.withHandle(h -> {
      int counted = h.createQuery("SELECT COUNT(*) FROM referrals WHERE referrer_external_userid = :r AND status = 'counted'")
          .bind("r", referrer).mapTo(Integer.class).one();
      int pending = h.createQuery("SELECT COUNT(*) FROM referrals WHERE referrer_external_userid = :r AND status = 'pending'")
          .bind("r", referrer).mapTo(Integer.class).one();
      Optional<ReferralSettings.Tier> next = programme.next(counted);
      return new Progress(referrer, counted, pending, next.map(ReferralSettings.Tier::reward).orElse(""),
          next.map(t -> t.friends() - counted).orElse(0));
    });
  }

  /** Rewards not yet redeemed first, then the newest. */
  public List<Reward> rewards(int limit) {
    return jdbi.withHandle(h -> h.createQuery("SELECT w.referrer_external_userid, COALESCE(c.name, ''), w.friends, w.reward, "
            + "w.status, w.earned_at FROM referral_rewards w LEFT JOIN contacts c ON c.external_userid = w.referrer_external_userid "
            + "ORDER BY CASE WHEN w.status = 'redeemed' THEN 1 ELSE 0 END, w.earned_at DESC LIMIT :n")
        .bind("n", limit)
        .map((rs, ctx) -> new Reward(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getString(4), rs.getString(5),
            rs.getLong(6)))
        .list());
  }

  private static String rewardKey(String referrer, int friends) {
    return "referral-reward:" + referrer + ":" + friends;
  }

  private Optional<String> follower(Handle h, String ext) {
    return h.createQuery("SELECT userid FROM contact_follows WHERE external_userid = :ext AND status = 'active' "
            + "ORDER BY added_at, userid LIMIT 1").bind("ext", ext).mapTo(String.class).findOne();
  }

  private ObjectNode oneToOne(String sender, String ext, String text) {
    ObjectNode body = json.createObjectNode().put("chat_type", "single").put("sender", sender);
    body.putArray("external_userid").add(ext);
    body.putObject("text").put("content", text);
    return body;
  }
}
