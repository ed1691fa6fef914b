package app.liuliang.contact;

import app.liuliang.account.Accounts;
import app.liuliang.logging.ThrottledLog;
import app.liuliang.wecom.Outbox;
import app.liuliang.wecom.OutboxItem;
import app.liuliang.wecom.OutboxListener;
import app.liuliang.wecom.OutboxRequest;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code welcomes} table and what became of each welcome: sent, or the code was used (41051),
 * expired or refused. Then the template's fallback, if it names one, goes out as a 1:1 message.
 * Statuses: queued, sent, used, expired, failed, uncertain, skipped, cancelled, too_late, no_account.
 */
final class WelcomeRecords implements OutboxListener {

  private static final Logger log = LoggerFactory.getLogger(WelcomeRecords.class);
  static final String PURPOSE = "welcome";
  /** WeCom: the code was already used, or the chat already started. */
  static final int CODE_USED = 41051;
  /** A fallback waits for the staff member to confirm it; after a day it is stale. */
  static final Duration FALLBACK_DEADLINE = Duration.ofDays(1);

  private final Outbox outbox;
  private final WelcomeTemplates templates;
  private final WelcomeComposer composer;
  private final Accounts accounts;
  private final ChannelCatalog channels;
  private final ContactRepository contacts;
  private final Clock clock;
  private final ThrottledLog outcomes;

  WelcomeRecords(Outbox outbox, WelcomeTemplates templates, WelcomeComposer composer, Accounts accounts,
      ChannelCatalog channels, ContactRepository contacts, Clock clock) {
    this.channels = channels;
    this.outbox = outbox;
    this.templates = templates;
    this.composer = composer;
    this.accounts = accounts;
    this.contacts = contacts;
    this.clock = clock;
    // A code that dies in an outage dies for every patient at once: one line per outcome and minute.
    this.outcomes = new ThrottledLog(log, clock, Duration.ofMinutes(1));
  }

  boolean exists(Handle h, String key) {
    return h.createQuery("SELECT COUNT(*) FROM welcomes WHERE idem_key = :key").bind("key", key).mapTo(Integer.class).one() > 0;
  }

  void insert(Handle h, String key, String ext, String userId, String code, String channel, String templateId,
      String status, long now) {
    h.createUpdate("INSERT INTO welcomes (idem_key, external_userid, userid, welcome_code, channel, template_id, status, "
            + "created_at, updated_at) VALUES (:key, :ext, :userid, :code, :channel, :template, :status, :now, :now) "
            + "ON CONFLICT (idem_key) DO NOTHING")
        .bind("key", key).bind("ext", ext).bind("userid", userId).bind("code", code).bind("channel", channel)
        .bind("template", templateId).bind("status", status).bind("now", now).execute();
  }

  /** Queues the template's fallback (if any) as a 1:1 message from {@code userId}. */
  void queueFallback(Handle h, String key, WelcomeTemplate template, Map<String, String> values, String userId, String ext) {
    if (template.fallback() == null) {
      return;
    }
    Instant now = clock.instant();
    String text = WelcomeComposer.render(template.fallback().text(), values);
    boolean queued = outbox.enqueue(h, OutboxRequest.toPatient("welcome-fallback:" + key.substring("welcome:".length()),
        "welcome.fallback", "/cgi-bin/externalcontact/add_msg_template", composer.fallbackBody(text, userId, ext), ext,
        false, now, now.plus(FALLBACK_DEADLINE)));
    if (queued) {
      h.createUpdate("UPDATE welcomes SET fallback = 1 WHERE idem_key = :key").bind("key", key).execute();
      outcomes.info("fallback", "contact " + ext + ": welcome fallback from " + userId + " queued");
    }
  }

  @Override
  public boolean accepts(String purpose) {
    return PURPOSE.equals(purpose);
  }

  /**
   * Stores what became of a welcome in the transaction that stores the outbox row's outcome, and
   * queues the fallback there too: after a crash the two never disagree, and no patient gets both.
   * A welcome confirmed by 41051 after our own unconfirmed attempt arrives here as sent.
   */
  @Override
  public void inTransaction(Handle h, OutboxItem item, String status, JsonNode response) {
    if (status.equals("sent")) {
      Integer confirmedBy = response != null && response.path("errcode").asInt(0) != 0 ? response.path("errcode").asInt() : null;
      setStatus(h, item.idemKey(), "sent", confirmedBy);
      return;
    }
    Integer errcode = item.errcode();
    String outcome = errcode != null && errcode == CODE_USED ? "used" : status;
    setStatus(h, item.idemKey(), outcome, errcode);
    outcomes.info("not delivered " + outcome + " " + errcode,
        "welcome " + item.idemKey() + " not delivered: " + outcome + " (errcode " + errcode + ")");
    // Not after "uncertain": WeCom could not say whether the welcome arrived, and a patient never gets both.
    if (outcome.equals("used") || outcome.equals("expired") || outcome.equals("failed")) {
      fallback(h, item.idemKey());
    }
  }

  private void fallback(Handle h, String key) {
    Optional<Map<String, Object>> row = h.createQuery("SELECT * FROM welcomes WHERE idem_key = :key")
        .bind("key", key).mapToMap().findOne();
    if (row.isEmpty()) {
      return;
    }
    String ext = (String) row.get().get("external_userid");
    String userId = (String) row.get().get("userid");
    Optional<WelcomeTemplate> template = templates.byId((String) row.get().get("template_id"));
    var account = accounts.find(userId);
    var contact = contacts.find(h, ext);
    if (template.isEmpty() || account.isEmpty() || contact.isEmpty()) {
      return;
    }
    String channelId = (String) row.get().get("channel");
    String channelName = channels.find(channelId).map(ChannelCatalog.Channel::name).orElse(channelId);
    queueFallback(h, key, template.get(), WelcomeComposer.values(contact.get().name(), account.get(), channelName),
        userId, ext);
  }

  private void setStatus(Handle h, String key, String status, Integer errcode) {
    h.createUpdate("UPDATE welcomes SET status = :status, errcode = :errcode, updated_at = :now WHERE idem_key = :key")
        .bind("status", status).bind("errcode", errcode).bind("now", clock.millis()).bind("key", key).execute();
  }
}
