package app.liuliang.message;

import app.liuliang.contact.ReferralCodes;
import app.liuliang.account.Account;
import app.liuliang.account.Accounts;
import app.liuliang.app.Feature;
import app.liuliang.app.Foundation;
import app.liuliang.callback.CallbackHandler;
import app.liuliang.contact.TagCatalog;
import app.liuliang.handoff.HandoffPolicy;
import app.liuliang.handoff.Handoffs;
import app.liuliang.handoff.KfOutbox;
import app.liuliang.store.OncePerCluster;
import app.liuliang.wecom.OutboxGuard;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Patient messages and hand-offs as one feature: the kf sync handler, card clicks and staff
 * commands, the opt-out guard, the periodic hand-off check and the daily retention cleanup.
 */
public final class MessageFeature implements Feature {

  private static final Logger log = LoggerFactory.getLogger(MessageFeature.class);
  private static final java.time.Duration RETENTION_EVERY = java.time.Duration.ofDays(1);

  private final Handoffs handoffs;
  private final KfSyncHandler kfSync;
  private final OptOutGuard optOutGuard;
  private final RetentionCleanup retention;
  private final ContactProfile contacts;
  private ScheduledExecutorService daily;
  private final String nodeId;
  /** The purge is one idempotent DELETE: on one node only because a second one is wasted work. */
  private final OncePerCluster retentionJob;

  /** Layers and tags are moved by the new-patients service, the one owner of both (and of WeCom's tags). */
  public MessageFeature(Foundation foundation, Accounts accounts, TagCatalog tags, MessageRules rules, FaqLibrary faq,
      app.liuliang.contact.NewPatients patients, ReferralCodes referralCodes) {
    var db = foundation.database().jdbi();
    Account assistant = accounts.find(faq.assistant()).orElseThrow();
    this.contacts = new PatientServiceContactProfile(new ContactTables(db, foundation.clock()), patients.layers(),
        patients.tagger());
    KfOutbox kf = new KfOutbox(foundation.outbox(), foundation.json(), foundation.clock());
    MessageRules.HandoffSettings h = rules.handoff();
    this.handoffs = new Handoffs(db, foundation.outbox(), kf, accounts,
        new HandoffPolicy(h.claimTimeout(), h.checkEvery(), assistant.id(), h.patientLine(), h.outOfHoursLine(),
            linesByReason(rules), h.acknowledgeEvery(), h.acknowledgeLine()),
        foundation.clock(), foundation.settings().app().timezone(), foundation.json(),
        foundation.settings().wecom().agentIdAsInt(), foundation.meters());
    MessageRepository messages = new MessageRepository(db);
    PatientMessageHandler handler = new PatientMessageHandler(contacts, messages, rules, faq, assistant,
        tags.optedOutTag(), kf, foundation.outbox(), handoffs, foundation.json(), foundation.meters(), referralCodes,
        foundation.wecom());
    KfCustomerNames names = new KfCustomerNames(foundation.wecom(), contacts, foundation.json(), foundation.meters());
    this.kfSync = new KfSyncHandler(foundation.wecom(), messages, handler, names, foundation.clock(), foundation.meters(),
        foundation.settings().nodeId());
    this.optOutGuard = new OptOutGuard(db);
    this.retention = new RetentionCleanup(messages, rules.retentionDays(), foundation.clock());
    this.nodeId = foundation.settings().nodeId();
    this.retentionJob = OncePerCluster.every(db, "message-retention", nodeId, RETENTION_EVERY, foundation.clock());
  }


  /**
   * The hand-off lines by reason: an intent that hands off uses its line kind; {@code intent} (a
   * question the FAQ could not answer, e.g. about implants) is a sales question. Reasons without
   * lines in config get the general pair.
   */
  static java.util.Map<String, HandoffPolicy.Lines> linesByReason(MessageRules rules) {
    java.util.Map<String, HandoffPolicy.Lines> byReason = new java.util.HashMap<>();
    java.util.function.BiConsumer<String, String> put = (reason, kind) -> {
      MessageRules.Lines lines = rules.handoff().lines().get(kind);
      if (lines != null) {
        byReason.put(reason, new HandoffPolicy.Lines(lines.now(), lines.outOfHours()));
      }
    };
    rules.intents().stream().filter(MessageRules.IntentRule::handsOff).forEach(rule -> put.accept(rule.id(), rule.lineKind()));
    put.accept("intent", "sales");
    return byReason;
  }

  @Override
  public List<CallbackHandler> callbackHandlers() {
    List<CallbackHandler> all = new ArrayList<>();
    all.add(kfSync);
    all.addAll(handoffs.callbackHandlers());
    return all;
  }

  @Override
  public List<OutboxGuard> outboxGuards() {
    return List.of(optOutGuard);
  }

  @Override
  public void start() {
    handoffs.start(nodeId);
    daily = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "message-retention");
      t.setDaemon(true);
      return t;
    });
    daily.scheduleWithFixedDelay(() -> retentionJob.runIfHolder(() -> {
      try {
        retention.purge();
      } catch (RuntimeException e) {
        log.error("message retention cleanup failed; next run tomorrow", e);
      }
    }), 1, RETENTION_EVERY.toMinutes(), TimeUnit.MINUTES);
  }

  /** The hand-offs: tests and the console call {@link Handoffs#runDue()} directly. */
  public Handoffs handoffs() {
    return handoffs;
  }

  /** Purges messages past retention now; returns how many. */
  public int purgeExpiredMessages() {
    return retention.purge();
  }

  @Override
  public void close() {
    handoffs.close();
    if (daily != null) {
      daily.shutdownNow();
    }
    retentionJob.close();
  }
}
