package app.liuliang.channel;

import app.liuliang.contact.ReferralSettings;
import app.liuliang.contact.TagCatalog;
import app.liuliang.wecom.Outbox;
import app.liuliang.wecom.OutboxRequest;
import app.liuliang.wecom.WeComApiException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each patient's personal referral code: a 「联系我」 code with state {@code ref:<their referral code>}
 * behind their own assistant, so a friend who scans it is recorded as their referral. Created lazily
 * (on reaching {@code referral.yaml}'s layer, or when asked for), reused ever after, deleted once the
 * patient has been lost for a while (the corp's 500,000 codes are finite); admins hear when the corp's
 * codes near that ceiling. Like channel codes, the row is written before WeCom is called and leased.
 */
public final class PersonalCodes {

  private static final Logger log = LoggerFactory.getLogger(PersonalCodes.class);
  private static final Duration LEASE = Duration.ofMinutes(2);
  private static final int SCAN_BATCH = 200;

  /** A patient's code as the console shows it. */
  public record Code(String externalUserId, String state, String status, String error, boolean hasQr) {
  }

  private final Jdbi jdbi;
  private final ContactWays ways;
  private final QrImages qr;
  private final Outbox outbox;
  private final ObjectMapper json;
  private final Clock clock;
  private final ReferralSettings.PersonalCode settings;
  private final List<String> admins;
  private final int agentId;

  PersonalCodes(Jdbi jdbi, ContactWays ways, QrImages qr, Outbox outbox, ObjectMapper json, Clock clock,
      ReferralSettings.PersonalCode settings, List<String> admins, int agentId) {
    this.jdbi = jdbi;
    this.ways = ways;
    this.qr = qr;
    this.outbox = outbox;
    this.json = json;
    this.clock = clock;
    this.settings = settings;
    this.admins = admins;
    this.agentId = agentId;
  }

  /**
   * The patient's code, made now if they have none (or theirs was deleted). Empty when the patient is
   * unknown, not an active contact, or followed by no staff member.
   *
   * @param reason {@code layer}, {@code asked} or {@code operator}
   */
  public Optional<Code> ensure(String externalUserId, String reason) {
    Optional<Patient> patient = patient(externalUserId);
    if (patient.isEmpty()) {
      return Optional.empty();
    }
    Patient p = patient.get();
    long now = clock.millis();
    boolean mine = jdbi.withHandle(h -> h.createUpdate("INSERT INTO referral_codes (external_userid, state, userid, reason, "
            + "status, lease_until, created_at, updated_at) VALUES (:ext, :state, :user, :reason, 'creating', :lease, :now, :now) "
            + "ON CONFLICT (external_userid) DO NOTHING")
        .bind("ext", externalUserId).bind("state", p.state()).bind("user", p.userId()).bind("reason", reason)
        .bind("lease", now + LEASE.toMillis()).bind("now", now).execute()) == 1;
    if (!mine) {
      Optional<Code> existing = code(externalUserId);
      if (existing.isPresent() && "active".equals(existing.get().status())) {
        return existing;
      }
      if (!claim(externalUserId, now)) {
        return existing;
      }
      jdbi.useHandle(h -> h.createUpdate("UPDATE referral_codes SET userid = :user, state = :state, reason = :reason, "
              + "status = 'creating', updated_at = :now WHERE external_userid = :ext AND status <> 'active'")
          .bind("ext", externalUserId).bind("user", p.userId()).bind("state", p.state()).bind("reason", reason)
          .bind("now", now).execute());
    }
    create(externalUserId, p, mine);
    return code(externalUserId);
  }

  private void create(String externalUserId, Patient p, boolean fresh) {
    try {
      Optional<String> found = fresh ? Optional.empty() : ways.findByState(p.state(), createdAt(externalUserId), clock.millis());
      String configId;
      String qrUrl;
      if (found.isPresent()) {
        configId = found.get();
        qrUrl = ways.get(configId).map(w -> w.path("qr_code").asText(null)).orElse(null);
      } else {
        ContactWays.Created created = ways.add(spec(p));
        configId = created.configId();
        qrUrl = created.qrUrl();
      }
      byte[] png = qr.download(p.state(), qrUrl).orElse(null);
      jdbi.useHandle(h -> h.createUpdate("UPDATE referral_codes SET config_id = :id, qr_url = :url, qr_png = COALESCE(:png, qr_png), "
              + "status = 'active', error = NULL, lease_until = 0, updated_at = :now WHERE external_userid = :ext")
          .bind("ext", externalUserId).bind("id", configId).bind("url", qrUrl).bind("png", png).bind("now", clock.millis())
          .execute());
      log.info("referral code {} made for contact {} (config_id {})", p.state(), externalUserId, configId);
    } catch (WeComApiException e) {
      String message = OperatorMessages.forCode(e);
      jdbi.useHandle(h -> h.createUpdate("UPDATE referral_codes SET status = 'failed', error = :e, lease_until = 0, "
              + "updated_at = :now WHERE external_userid = :ext")
          .bind("ext", externalUserId).bind("e", message).bind("now", clock.millis()).execute());
      log.warn("referral code for contact {} not made: {}", externalUserId, e.getMessage());
    }
  }

  /** One pass: codes for patients who reached the layer, retries of failed ones, deletes for long-lost ones, quota. */
  void scan() {
    int from = TagCatalog.LAYERS.indexOf(settings.fromLayer());
    List<String> layers = TagCatalog.LAYERS.subList(Math.max(0, from), TagCatalog.LAYERS.size());
    List<String> due = jdbi.withHandle(h -> h.createQuery("SELECT c.external_userid FROM contacts c "
            + "LEFT JOIN referral_codes r ON r.external_userid = c.external_userid "
            + "WHERE c.status = 'active' AND c.layer IN (<layers>) AND c.referral_code IS NOT NULL "
            + "AND (r.external_userid IS NULL OR r.status IN ('failed', 'deleted') "
            + "OR (r.status = 'creating' AND r.lease_until <= :now)) ORDER BY c.updated_at LIMIT :n")
        .bindList("layers", layers).bind("now", clock.millis()).bind("n", SCAN_BATCH).mapTo(String.class).list());
    due.forEach(ext -> ensure(ext, "layer"));
    long lostBefore = clock.millis() - settings.deleteAfterLost().toMillis();
    List<String> gone = jdbi.withHandle(h -> h.createQuery("SELECT r.external_userid FROM referral_codes r "
            + "JOIN contacts c ON c.external_userid = r.external_userid "
            + "WHERE r.status = 'active' AND c.status IN ('lost', 'removed') AND c.updated_at < :before LIMIT :n")
        .bind("before", lostBefore).bind("n", SCAN_BATCH).mapTo(String.class).list());
    gone.forEach(this::retire);
    // Erased patients' codes (anonymous rows marked by the erasure) go from WeCom too.
    jdbi.withHandle(h -> h.createQuery("SELECT external_userid FROM referral_codes WHERE status = 'deleting' LIMIT :n")
        .bind("n", SCAN_BATCH).mapTo(String.class).list()).forEach(this::retire);
    checkQuota();
  }

  private void retire(String externalUserId) {
    long now = clock.millis();
    if (!claim(externalUserId, now)) {
      return;
    }
    String configId = jdbi.withHandle(h -> h.createQuery("SELECT config_id FROM referral_codes WHERE external_userid = :ext")
        .bind("ext", externalUserId).mapTo(String.class).findOne().orElse(null));
    try {
      if (configId != null) {
        ways.delete(configId);
      }
      jdbi.useHandle(h -> h.createUpdate("UPDATE referral_codes SET status = 'deleted', config_id = NULL, qr_png = NULL, "
              + "lease_until = 0, updated_at = :now WHERE external_userid = :ext")
          .bind("ext", externalUserId).bind("now", clock.millis()).execute());
      log.info("referral code of contact {} deleted: lost for over {}", externalUserId, settings.deleteAfterLost());
    } catch (WeComApiException e) {
      jdbi.useHandle(h -> h.createUpdate("UPDATE referral_codes SET error = :e, lease_until = 0 WHERE external_userid = :ext")
          .bind("ext", externalUserId).bind("e", OperatorMessages.forCode(e)).execute());
    }
  }

  /**
   * API-made codes of the corp that Liuliang knows against WeCom's ceiling, which 联系我 codes share
   * with group join codes: channel codes, personal codes and the group categories' codes.
   */
  long codesInUse() {
    return jdbi.withHandle(h -> h.createQuery("SELECT (SELECT COUNT(*) FROM channel_codes WHERE config_id IS NOT NULL) "
        + "+ (SELECT COUNT(*) FROM referral_codes WHERE config_id IS NOT NULL) "
        + "+ (SELECT COUNT(*) FROM group_join_ways WHERE config_id IS NOT NULL)").mapTo(Long.class).one());
  }

  private void checkQuota() {
    long used = codesInUse();
    long threshold = (long) ReferralSettings.CORP_QUOTA * settings.quotaAlertPercent() / 100;
    if (used < threshold || admins.isEmpty()) {
      return;
    }
    ObjectNode body = json.createObjectNode().put("touser", String.join("|", admins)).put("msgtype", "text")
        .put("agentid", agentId);
    body.putObject("text").put("content", "【联系我码快满了】本企业通过接口创建的「联系我」码已有 " + used + " 个，上限 "
        + ReferralSettings.CORP_QUOTA + " 个（已达 " + (100 * used / ReferralSettings.CORP_QUOTA) + "%）。"
        + "请清理不再使用的渠道码，或缩短 referral.yaml 的 delete_after_lost。");
    // Once per threshold: the outbox key makes a second alert for the same crossing a no-op.
    outbox.enqueue(OutboxRequest.internal("codes-quota:" + settings.quotaAlertPercent(), "channel.quota",
        "/cgi-bin/message/send", body, clock.instant(), clock.instant().plus(Duration.ofDays(1))));
  }

  public Optional<Code> code(String externalUserId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT external_userid, state, status, error, qr_png IS NOT NULL "
            + "FROM referral_codes WHERE external_userid = :ext")
        .bind("ext", externalUserId)
        .map((rs, ctx) -> new Code(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getBoolean(5)))
        .findOne());
  }

  public Optional<byte[]> qr(String externalUserId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT qr_png FROM referral_codes WHERE external_userid = :ext "
        + "AND qr_png IS NOT NULL").bind("ext", externalUserId).mapTo(byte[].class).findOne());
  }

  private boolean claim(String externalUserId, long now) {
    return jdbi.withHandle(h -> h.createUpdate("UPDATE referral_codes SET lease_until = :lease "
            + "WHERE external_userid = :ext AND lease_until <= :now")
        .bind("ext", externalUserId).bind("now", now).bind("lease", now + LEASE.toMillis()).execute()) == 1;
  }

  private long createdAt(String externalUserId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT created_at FROM referral_codes WHERE external_userid = :ext")
        .bind("ext", externalUserId).mapTo(Long.class).findOne().orElse(clock.millis()));
  }

  /** What WeCom is asked for: a single-person code behind the patient's own assistant. */
  private ObjectNode spec(Patient p) {
    String remark = ("推荐码 " + p.name()).codePoints().limit(30)
        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    ObjectNode spec = json.createObjectNode().put("type", 1).put("scene", 2).put("style", 1).put("remark", remark)
        .put("skip_verify", true).put("state", p.state());
    spec.putArray("user").add(p.userId());
    return spec;
  }

  private record Patient(String state, String userId, String name) {
  }

  /** An active contact with a referral code and a staff member following them. */
  private Optional<Patient> patient(String externalUserId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT c.referral_code, c.name, "
            + "(SELECT f.userid FROM contact_follows f WHERE f.external_userid = c.external_userid AND f.status = 'active' "
            + " ORDER BY f.added_at, f.userid LIMIT 1) FROM contacts c "
            + "WHERE c.external_userid = :ext AND c.status = 'active' AND c.referral_code IS NOT NULL")
        .bind("ext", externalUserId)
        .map((rs, ctx) -> new Patient("ref:" + rs.getString(1), rs.getString(3), rs.getString(2) == null ? "" : rs.getString(2)))
        .findOne().filter(p -> p.userId() != null));
  }

  /**
   * The patient moved from {@code fromUserId} to a colleague (继承): a code behind the member is deleted in
   * WeCom and made again behind the patient's assistant now, so a friend who scans it reaches someone who
   * is still there. True when a new code was made; false when theirs was not behind the member.
   */
  public boolean followAssistant(String externalUserId, String fromUserId) {
    boolean behindMember = jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM referral_codes "
            + "WHERE external_userid = :ext AND userid = :user AND status = 'active'")
        .bind("ext", externalUserId).bind("user", fromUserId).mapTo(Integer.class).one()) > 0;
    if (!behindMember) {
      return false;
    }
    retire(externalUserId);
    return ensure(externalUserId, "transfer").filter(c -> "active".equals(c.status())).isPresent();
  }
}
