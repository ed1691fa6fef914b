package app.liuliang.group;

import app.liuliang.account.Accounts;
import app.liuliang.callback.CallbackEvent;
import app.liuliang.callback.CallbackHandler;
import app.liuliang.contact.ContactDirectory;
import app.liuliang.contact.ContactDirectory.Patient;
import app.liuliang.wecom.Outbox;
import app.liuliang.wecom.OutboxRequest;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * 流失提醒: when a patient deletes their assistant ({@code del_follow_user}) or leaves a group whose
 * category alerts on churn, the patient's assistant (and the admins, for the layers of
 * {@code churn.admin_layers}) get an app message with name, layer, tags and last interaction. One
 * outbox key per event or leave: never twice. Every alert is recorded per recipient in
 * {@code churn_alerts}; with {@code churn.digest_at} it waits there for the daily digest
 * ({@link ChurnDigest}) instead of going out at once.
 */
final class ChurnAlerts implements CallbackHandler {

  private static final Logger log = LoggerFactory.getLogger(ChurnAlerts.class);
  static final String MESSAGE_SEND = "/cgi-bin/message/send";
  private static final Map<String, String> LAYERS = Map.of(
      "stranger", "陌生", "potential", "潜在", "intent", "意向", "ordered", "已下单", "repeat", "复购", "super", "超级用户");
  private static final Map<String, String> ACTIVITIES = Map.of(
      "visit", "到诊", "order", "下单", "membership", "办会员", "reply", "回复消息", "lost", "删除好友", "removed", "被删除");
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

  private final Jdbi jdbi;
  private final ContactDirectory directory;
  private final Accounts accounts;
  private final Outbox outbox;
  private final ObjectMapper json;
  private final Clock clock;
  private final ZoneId zone;
  private final List<String> admins;
  private final Set<String> adminLayers;
  private final int agentId;
  private final boolean digest;

  ChurnAlerts(Jdbi jdbi, ContactDirectory directory, Accounts accounts, Outbox outbox, ObjectMapper json, Clock clock,
      ZoneId zone, List<String> admins, GroupCatalog.Churn churn, int agentId) {
    this.jdbi = jdbi;
    this.directory = directory;
    this.accounts = accounts;
    this.outbox = outbox;
    this.json = json;
    this.clock = clock;
    this.zone = zone;
    this.admins = List.copyOf(admins);
    this.adminLayers = Set.copyOf(churn.adminLayers());
    this.agentId = agentId;
    this.digest = churn.digestTime().isPresent();
  }

  @Override
  public boolean accepts(CallbackEvent event) {
    return "change_external_contact".equals(event.event()) && "del_follow_user".equals(event.changeType());
  }

  /** The patient deleted their assistant: that assistant hears of it. */
  @Override
  public void handle(CallbackEvent event) {
    String ext = event.field("ExternalUserID", "");
    String userId = event.field("UserID", "");
    if (ext.isEmpty() || userId.isEmpty()) {
      throw new PermanentFailure("del_follow_user without ExternalUserID or UserID");
    }
    Optional<Patient> patient = directory.find(ext);
    if (patient.isEmpty()) {
      log.info("del_follow_user for unknown contact {}: no churn alert", ext);
      return;
    }
    String text = "【流失提醒】" + describe(patient.get()) + "\n已删除员工 " + nickname(userId) + "。";
    send(null, "churn:follow:" + event.eventKey(), recipients(patient.get(), List.of(userId)), text);
  }

  /** A patient left a group whose category alerts on churn; in the caller's transaction. */
  void leftGroup(Handle h, Patient patient, String category, String chatId, long changeId) {
    String text = "【流失提醒】" + describe(patient) + "\n已退出客户群「" + category + "」。";
    List<String> assistants = patient.followers().stream().filter(this::isAssistant).toList();
    if (assistants.isEmpty() && patient.firstUserId() != null) {
      assistants = List.of(patient.firstUserId());
    }
    send(h, "churn:group:" + chatId + ":" + patient.externalUserId() + ":" + changeId, recipients(patient, assistants), text);
  }

  private boolean isAssistant(String userId) {
    return accounts == null || accounts.find(userId).map(a -> !a.isDoctor()).orElse(false);
  }

  private List<String> recipients(Patient patient, List<String> staff) {
    Set<String> to = new LinkedHashSet<>(staff);
    if (adminLayers.contains(patient.layer())) {
      to.addAll(admins);
    }
    return List.copyOf(to);
  }

  private String describe(Patient p) {
    String name = p.name() == null || p.name().isBlank() ? "未命名患者" : p.name();
    String tags = p.tags().isEmpty() ? "无" : String.join("、", p.tags());
    String last = p.lastAt() == 0 ? "无记录"
        : ACTIVITIES.getOrDefault(p.lastInteraction(), p.lastInteraction()) + " "
            + DAY.format(Instant.ofEpochMilli(p.lastAt()).atZone(zone));
    return "患者：" + name + "\n分层：" + LAYERS.getOrDefault(p.layer(), p.layer()) + "\n标签：" + tags + "\n最近互动：" + last;
  }

  private String nickname(String userId) {
    return accounts == null ? userId : accounts.find(userId).map(a -> a.nickname()).orElse(userId);
  }

  private void send(Handle h, String idemKey, List<String> to, String text) {
    if (to.isEmpty()) {
      log.warn("churn alert {} has no recipient (no assistant, no admin for this layer)", idemKey);
      return;
    }
    if (h == null) {
      jdbi.useTransaction(tx -> record(tx, idemKey, to, text));
    } else {
      record(h, idemKey, to, text);
    }
  }

  /** The alert's rows, and (without a digest) its message, in one transaction: once, never lost. */
  private void record(Handle h, String idemKey, List<String> to, String text) {
    long now = clock.millis();
    for (String recipient : to) {
      h.createUpdate("INSERT INTO churn_alerts (idem_key, recipient, text, created_at, digested_on) "
              + "VALUES (:key, :to, :text, :now, :digested) ON CONFLICT DO NOTHING")
          .bind("key", idemKey).bind("to", recipient).bind("text", text).bind("now", now)
          .bind("digested", digest ? null : "sent at once").execute();
    }
    if (digest) {
      log.info("churn alert {} kept for the daily digest of {} staff", idemKey, to.size());
      return;
    }
    if (outbox.enqueue(h, message(idemKey, "churn.alert", to, text))) {
      log.info("churn alert {} queued for {} staff", idemKey, to.size());
    }
  }

  /** An app message to staff, de-duplicated by WeCom too. */
  OutboxRequest message(String idemKey, String purpose, List<String> to, String text) {
    ObjectNode body = json.createObjectNode().put("touser", String.join("|", to)).put("msgtype", "text")
        .put("agentid", agentId).put("enable_duplicate_check", 1).put("duplicate_check_interval", 1800);
    body.putObject("text").put("content", text);
    Instant now = clock.instant();
    return OutboxRequest.internal(idemKey, purpose, MESSAGE_SEND, body, now, now.plus(Duration.ofDays(1)));
  }
}
