package app.liuliang.group;

import app.liuliang.wecom.Outbox;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daily churn digest ({@code churn.digest_at}): at that time, each recipient gets one app message
 * with every alert kept for them since the last digest. The alerts are taken (compare-and-set on
 * {@code digested_on}) in the transaction that queues the message, keyed by day and recipient: a
 * second run, or a second node, sends nothing twice.
 */
final class ChurnDigest {

  private static final Logger log = LoggerFactory.getLogger(ChurnDigest.class);
  /** WeCom's text message holds 2,048 bytes. */
  private static final int MAX_BYTES = 2000;

  private final Jdbi jdbi;
  private final Outbox outbox;
  private final ChurnAlerts alerts;
  private final Clock clock;
  private final ZoneId zone;
  private final LocalTime at;
  private volatile LocalDate lastRun;

  ChurnDigest(Jdbi jdbi, Outbox outbox, ChurnAlerts alerts, Clock clock, ZoneId zone, LocalTime at) {
    this.jdbi = jdbi;
    this.outbox = outbox;
    this.alerts = alerts;
    this.clock = clock;
    this.zone = zone;
    this.at = at;
  }

  /** Sends today's digest once its time has come (cheap to call often). */
  void runIfDue() {
    ZonedDateTime now = ZonedDateTime.now(clock.withZone(zone));
    LocalDate today = now.toLocalDate();
    if (now.toLocalTime().isBefore(at) || today.equals(lastRun)) {
      return;
    }
    long cutoff = today.atTime(at).atZone(zone).toInstant().toEpochMilli();
    List<String> recipients = jdbi.withHandle(h -> h.createQuery("SELECT DISTINCT recipient FROM churn_alerts "
            + "WHERE digested_on IS NULL AND created_at < :cutoff ORDER BY recipient")
        .bind("cutoff", cutoff).mapTo(String.class).list());
    for (String recipient : recipients) {
      jdbi.useTransaction(h -> {
        List<String> texts = h.createQuery("UPDATE churn_alerts SET digested_on = :day WHERE recipient = :to "
                + "AND digested_on IS NULL AND created_at < :cutoff RETURNING text")
            .bind("day", today.toString()).bind("to", recipient).bind("cutoff", cutoff).mapTo(String.class).list();
        if (!texts.isEmpty()) {
          outbox.enqueue(h, alerts.message("churn:digest:" + today + ":" + recipient, "churn.digest", List.of(recipient),
              compose(today, texts)));
        }
      });
    }
    lastRun = today;
    if (!recipients.isEmpty()) {
      log.info("churn digest of {} queued for {} staff", today, recipients.size());
    }
  }

  /** "【今日流失提醒】…" with as many alerts as fit, then how many more there are. */
  static String compose(LocalDate day, List<String> texts) {
    StringBuilder out = new StringBuilder("【今日流失提醒】" + day.getMonthValue() + "月" + day.getDayOfMonth() + "日，共 "
        + texts.size() + " 位患者：");
    for (int i = 0; i < texts.size(); i++) {
      String entry = "\n\n" + (i + 1) + ". " + texts.get(i).replace("【流失提醒】", "");
      String more = "\n\n……另有 " + (texts.size() - i) + " 位，请在控制台「客户群」页查看。";
      if ((out + entry + more).getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
        return out + more;
      }
      out.append(entry);
    }
    return out.toString();
  }
}
