package app.liuliang.handoff;

import app.liuliang.account.Account;
import app.liuliang.account.Accounts;
import app.liuliang.callback.CallbackHandler;
import app.liuliang.handoff.HandoffRepository.Row;
import app.liuliang.handoff.HandoffRequest.PatientCard;
import app.liuliang.store.OncePerCluster;
import app.liuliang.wecom.Outbox;
import app.liuliang.wecom.OutboxRequest;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out hand-offs: opens them (now, or queued for the doctor's next opening), notifies the
 * doctor with a card, moves the kf session, tells the patient, escalates unclaimed ones along the
 * route and then to the assistant, and applies card clicks. All timing reads the injected clock;
 * {@link #runDue()} is what the periodic check (and tests) call.
 */
public final class Handoffs implements AutoCloseable {

  /** What {@link #open} did. */
  public enum Outcome { NOTIFIED, QUEUED, ALREADY_OPEN }

  static final String MESSAGE_SEND = "/cgi-bin/message/send";
  static final String UPDATE_CARD = "/cgi-bin/message/update_template_card";
  private static final Logger log = LoggerFactory.getLogger(Handoffs.class);

  private final HandoffRepository repository;
  private final HandoffRouter router;
  private final HandoffCard cards;
  private final KfOutbox kf;
  private final Outbox outbox;
  private final Accounts accounts;
  private final HandoffPolicy policy;
  private final Clock clock;
  private final ZoneId zone;
  private final ObjectMapper json;
  private final MeterRegistry meters;
  private final int agentId;
  private ScheduledExecutorService timer;
  private OncePerCluster checkJob;

  public Handoffs(Jdbi jdbi, Outbox outbox, KfOutbox kf, Accounts accounts, HandoffPolicy policy, Clock clock, ZoneId zone,
      ObjectMapper json, int agentId, MeterRegistry meters) {
    this.repository = new HandoffRepository(jdbi);
    this.router = new HandoffRouter(accounts);
    this.cards = new HandoffCard(json, agentId);
    this.kf = kf;
    this.outbox = outbox;
    this.accounts = accounts;
    this.policy = policy;
    this.clock = clock;
    this.zone = zone;
    this.json = json;
    this.meters = meters;
    this.agentId = agentId;
  }

  /** The card clicks and staff commands ({@code /handoffs}) this feature answers. */
  public List<CallbackHandler> callbackHandlers() {
    return List.of(new CardClickHandler(this), new StaffCommandHandler(this, outbox, json, clock, agentId));
  }

  /**
   * Opens a hand-off for a patient message; repeated calls for one message change nothing, and a
   * patient whose earlier hand-off is still in progress keeps that one (the doctor sees the new
   * message in the kf session).
   */
  public Outcome open(HandoffRequest request) {
    return open(request, true);
  }

  /**
   * A staff member hands the patient to a doctor from the chat sidebar (reason {@code staff}): the doctor
   * gets the card as usual, and nothing is said to the patient: the staff member is in the chat with
   * them, and a 1:1 chat has no kf session to speak in.
   */
  public Outcome openForStaff(HandoffRequest request) {
    return open(request, false);
  }

  private Outcome open(HandoffRequest request, boolean tellPatient) {
    if (repository.activeStateOf(request.externalUserId()).isPresent()) {
      if (tellPatient) {
        acknowledge(request);
      }
      return Outcome.ALREADY_OPEN;
    }
    List<String> route = router.route(request.followers(), request.specialty());
    String first = route.isEmpty() ? policy.assistantId() : route.get(0);
    Account doctor = account(first);
    ZonedDateTime now = clock.instant().atZone(zone);
    boolean openNow = doctor.hours().isOpen(now);
    long notifyAt = doctor.hours().nextOpening(now).toInstant().toEpochMilli();
    java.util.OptionalLong inserted = repository.insert(request, first, route, write(request.card()),
        now.toInstant().toEpochMilli(), notifyAt);
    if (inserted.isEmpty()) {
      // Another node opened one for this patient a moment ago (the check above and the insert raced).
      if (tellPatient) {
        acknowledge(request);
      }
      return Outcome.ALREADY_OPEN;
    }
    long id = inserted.getAsLong();
    Row row = repository.find(id).orElseThrow();
    if (!HandoffRepository.OPEN.equals(row.state()) || row.notifiedAt() != null) {
      return Outcome.ALREADY_OPEN;
    }
    meters.counter("liuliang.handoff.opened", "reason", request.reason(),
        "basis", router.basis(request.followers(), request.specialty())).increment();
    if (openNow) {
      notify(row, 0, first, HandoffRepository.NOTIFIED, tellPatient);
      return Outcome.NOTIFIED;
    }
    if (tellPatient) {
      repository.jdbi().useTransaction(h -> kf.sendText(h, "handoff-wait:" + id, "handoff.out_of_hours",
          row.externalUserId(), row.openKfId(), fill(policy.linesFor(row.reason()).outOfHours(), doctor), row.intent()));
    }
    log.info("handoff {} queued for {} until {}", id, first, Instant.ofEpochMilli(notifyAt));
    return Outcome.QUEUED;
  }

  /**
   * A red flag (bleeding that does not stop, ...): at once and at any hour, the safety text to the
   * patient (while the bot serves the session) and a notice to the on-call doctor when on call; then
   * a hand-off as usual but without the usual line (the safety text said what matters). Keyed by the
   * message, so handling it again repeats nothing.
   *
   * @param flagName   what the on-call doctor reads, e.g. 出血不止
   * @param safetyText the instructions and the clinic's emergency phone; {@code {doctor}} is the on-call doctor
   */
  public Outcome openRedFlag(HandoffRequest request, String flagId, String flagName, String safetyText) {
    Instant now = clock.instant();
    Optional<Account> onCall = Optional.ofNullable(accounts.onCall())
        .filter(c -> c.hours().isOpen(now.atZone(zone))).flatMap(c -> accounts.find(c.account()));
    String doctorName = onCall.map(Account::nickname).orElse("医生");
    // WeCom lets the API write only in a session the bot serves; a person serving it sees the message.
    boolean botServes = !withStaff(request.externalUserId());
    repository.jdbi().useTransaction(h -> {
      if (botServes) {
        kf.sendText(h, "red-flag:" + request.sourceMsgid(), "handoff.red_flag", request.externalUserId(),
            request.openKfId(), safetyText.replace("{doctor}", doctorName), request.intent());
      }
      if (onCall.isPresent()) {
        ObjectNode body = json.createObjectNode().put("touser", onCall.get().id()).put("msgtype", "text")
            .put("agentid", agentId);
        body.putObject("text").put("content", "【急】患者" + HandoffCard.name(request.card()) + "的消息提示急症（"
            + flagName + "）：\n" + String.join("\n", request.card().recentMessages())
            + "\n已自动发送安全指引和急诊电话，请尽快联系患者。");
        outbox.enqueue(h, OutboxRequest.internal("on-call:" + request.sourceMsgid(), "handoff.on_call", MESSAGE_SEND,
            body, now, now.plus(Duration.ofHours(1))));
      }
    });
    meters.counter("liuliang.handoff.red_flags", "flag", flagId, "on_call", onCall.isPresent() ? "told" : "off").increment();
    log.info("red flag {} for {}: safety text sent, on-call {}", flagId, request.externalUserId(),
        onCall.map(Account::id).orElse("not on call now"));
    return open(request, false);
  }

  /** The patient wrote again while their hand-off waits in the bot's session: an acknowledgement, at most once per interval. */
  private void acknowledge(HandoffRequest request) {
    long now = clock.millis();
    repository.acknowledge(request.externalUserId(), now, policy.acknowledgeEvery().toMillis()).ifPresent(row ->
        repository.jdbi().useTransaction(h -> kf.sendText(h, "handoff-ack:" + request.sourceMsgid(), "handoff.acknowledge",
            row.externalUserId(), row.openKfId(), fill(policy.acknowledgeLine(), account(row.doctor())), row.intent())));
  }

  /** Notifies queued hand-offs whose doctor is now at work and escalates unclaimed ones; returns how many moved. */
  public int runDue() {
    long now = clock.millis();
    int moved = 0;
    for (Row row : repository.dueForNotice(now)) {
      notify(row, 0, row.doctor(), HandoffRepository.NOTIFIED, false);
      moved++;
    }
    for (Row row : repository.unclaimedSince(now - policy.claimTimeout().toMillis())) {
      escalate(row);
      moved++;
    }
    return moved;
  }

  /**
   * True when a person serves this patient's kf session now (a notified, claimed or escalated
   * hand-off): the bot then stays quiet, as WeCom only lets the API answer sessions it serves.
   */
  public boolean withStaff(String externalUserId) {
    return repository.activeStateOf(externalUserId).filter(s -> !HandoffRepository.OPEN.equals(s)).isPresent();
  }

  /** The kf session ended: hand-offs for this patient are done. */
  public int closeFor(String externalUserId) {
    return repository.closeFor(externalUserId, clock.millis());
  }

  private void escalate(Row row) {
    ZonedDateTime now = clock.instant().atZone(zone);
    for (int level = row.level() + 1; level < row.route().size(); level++) {
      String next = row.route().get(level);
      if (accounts.find(next).map(a -> a.hours().isOpen(now)).orElse(false)) {
        notify(row, level, next, HandoffRepository.NOTIFIED, false);
        meters.counter("liuliang.handoff.escalated", "to", "doctor").increment();
        return;
      }
    }
    notify(row, Math.max(row.level() + 1, row.route().size()), policy.assistantId(), HandoffRepository.ESCALATED, false);
    meters.counter("liuliang.handoff.escalated", "to", "assistant").increment();
  }

  /** Sends the card to {@code target}, moves the session, and (first time) tells the patient. */
  private void notify(Row row, int level, String target, String state, boolean tellPatient) {
    String taskId = "ho-" + row.id() + "-" + level;
    Instant now = clock.instant();
    PatientCard patient = read(row.card());
    boolean moved = repository.jdbi().inTransaction(h -> {
      if (!repository.markNotified(h, row.id(), row.state(), row.level(), state, target, level, taskId, now.toEpochMilli())) {
        return false;
      }
      ObjectNode card = cards.card(target, taskId, row.reason(), patient, level > 0);
      outbox.enqueue(h, OutboxRequest.internal("handoff-card:" + taskId, "handoff.card", MESSAGE_SEND, card, now,
          now.plus(Duration.ofHours(1))));
      if (row.openKfId() != null) {
        kf.transfer(h, "handoff-trans:" + taskId, row.externalUserId(), row.openKfId(), target);
      }
      if (tellPatient) {
        kf.sendText(h, "handoff-line:" + row.id(), "handoff.patient_line", row.externalUserId(), row.openKfId(),
            fill(policy.linesFor(row.reason()).now(), account(target)), row.intent());
      }
      return true;
    });
    if (moved) {
      log.info("handoff {} {} to {} (level {})", row.id(), state, target, level);
    }
  }

  /** A card button: 接手 claims it, 转给助理 hands it to the assistant. */
  void onCardClick(String userId, String taskId, String key, String responseCode, String eventKey) {
    Row row = repository.byTask(taskId).orElse(null);
    if (row == null) {
      log.warn("card click for unknown task {} by {}", taskId, userId);
      meters.counter("liuliang.handoff.clicks", "outcome", "unknown_task").increment();
      return;
    }
    Instant now = clock.instant();
    String replace = repository.jdbi().inTransaction(h -> {
      if (HandoffCard.CLAIM.equals(key)) {
        if (!repository.claim(h, row.id(), userId, responseCode, now.toEpochMilli())) {
          return "已由他人处理";
        }
        repository.recordAction(h, row.id(), "claim", userId, "card", null, now.toEpochMilli());
        return "已接手";
      }
      if (!HandoffCard.TO_ASSISTANT.equals(key)) {
        return null;
      }
      String taskForAssistant = "ho-" + row.id() + "-a";
      if (!repository.markNotified(h, row.id(), row.state(), row.level(), HandoffRepository.ESCALATED,
          policy.assistantId(), row.level() + 1, taskForAssistant, now.toEpochMilli())) {
        return "已由他人处理";
      }
      outbox.enqueue(h, OutboxRequest.internal("handoff-card:" + taskForAssistant, "handoff.card", MESSAGE_SEND,
          cards.card(policy.assistantId(), taskForAssistant, "to_assistant", read(row.card()), true), now,
          now.plus(Duration.ofHours(1))));
      if (row.openKfId() != null) {
        kf.transfer(h, "handoff-trans:" + taskForAssistant, row.externalUserId(), row.openKfId(), policy.assistantId());
      }
      repository.recordAction(h, row.id(), "to_assistant", userId, "card", null, now.toEpochMilli());
      return "已转给助理";
    });
    if (replace == null) {
      meters.counter("liuliang.handoff.clicks", "outcome", "unknown_key").increment();
      return;
    }
    if (responseCode != null && !responseCode.isBlank()) {
      outbox.enqueue(OutboxRequest.internal("handoff-update:" + eventKey, "handoff.card_update", UPDATE_CARD,
          cards.update(userId, responseCode, replace), now, now.plus(Duration.ofHours(1))));
    }
    meters.counter("liuliang.handoff.clicks", "outcome", key).increment();
    log.info("handoff {} card {} by {}: {}", row.id(), key, userId, replace);
  }

  /** What a console action on a hand-off did. */
  public enum Action { DONE, MOVED_ON, NOT_FOUND, NOT_THEIRS }

  /**
   * 接手 from the console, as the staff member {@code userId}: the same compare-and-set as the card's
   * button, so a claim on the card and one in the console never both win.
   */
  public Action claim(long id, String userId) {
    account(userId);
    if (repository.find(id).isEmpty()) {
      return Action.NOT_FOUND;
    }
    long now = clock.millis();
    return repository.jdbi().inTransaction(h -> {
      if (!repository.claim(h, id, userId, null, now)) {
        return Action.MOVED_ON;
      }
      repository.recordAction(h, id, "claim", userId, "console", null, now);
      return Action.DONE;
    });
  }

  /**
   * Hands it to another doctor (notified with a card, the session moved to them; the claim timeout
   * runs again) or back to the assistant (escalated), from whatever state it is in but closed.
   */
  public Action reassign(long id, String targetUserId, String byUserId) {
    Account target = account(targetUserId);
    account(byUserId);
    Row row = repository.find(id).orElse(null);
    if (row == null) {
      return Action.NOT_FOUND;
    }
    boolean toAssistant = targetUserId.equals(policy.assistantId());
    String state = toAssistant ? HandoffRepository.ESCALATED : HandoffRepository.NOTIFIED;
    Instant now = clock.instant();
    String taskId = "ho-" + id + "-r" + now.toEpochMilli();
    boolean moved = repository.jdbi().inTransaction(h -> {
      if (HandoffRepository.CLOSED.equals(row.state()) || !repository.markNotified(h, id, row.state(), row.level(),
          state, targetUserId, row.level() + 1, taskId, now.toEpochMilli())) {
        return false;
      }
      outbox.enqueue(h, OutboxRequest.internal("handoff-card:" + taskId, "handoff.card", MESSAGE_SEND,
          cards.card(targetUserId, taskId, toAssistant ? "to_assistant" : row.reason(), read(row.card()), true), now,
          now.plus(Duration.ofHours(1))));
      if (row.openKfId() != null) {
        kf.transfer(h, "handoff-trans:" + taskId, row.externalUserId(), row.openKfId(), targetUserId);
      }
      repository.recordAction(h, id, toAssistant ? "to_assistant" : "reassign", byUserId, "console",
          target.nickname(), now.toEpochMilli());
      return true;
    });
    if (moved) {
      log.info("handoff {} reassigned to {} from the console by {}", id, targetUserId, byUserId);
    }
    return moved ? Action.DONE : Action.MOVED_ON;
  }

  /** Ends it: the hand-off is closed and the patient's kf session ended, so the bot serves the next message. */
  public Action close(long id, String byUserId) {
    account(byUserId);
    Row row = repository.find(id).orElse(null);
    if (row == null) {
      return Action.NOT_FOUND;
    }
    long now = clock.millis();
    boolean closed = repository.jdbi().inTransaction(h -> {
      if (!repository.close(h, id, now)) {
        return false;
      }
      if (row.openKfId() != null && !HandoffRepository.OPEN.equals(row.state())) {
        kf.endSession(h, "handoff-end:" + id, row.externalUserId(), row.openKfId());
      }
      repository.recordAction(h, id, "close", byUserId, "console", null, now);
      return true;
    });
    return closed ? Action.DONE : Action.MOVED_ON;
  }

  /**
   * Answers the patient ({@code kf/send_msg}) as the staff member who has claimed the hand-off: only
   * while the session is theirs. {@code formNonce} comes from the page, so a double-submitted form
   * sends once.
   */
  public Action answer(long id, String userId, String text, String formNonce) {
    account(userId);
    Row row = repository.find(id).orElse(null);
    if (row == null) {
      return Action.NOT_FOUND;
    }
    if (!HandoffRepository.CLAIMED.equals(row.state()) || !userId.equals(row.doctor()) || row.openKfId() == null) {
      return Action.NOT_THEIRS;
    }
    long now = clock.millis();
    repository.jdbi().useTransaction(h -> {
      if (!kf.sendText(h, "handoff-answer:" + id + ":" + formNonce, "handoff.answer", row.externalUserId(),
          row.openKfId(), text, row.intent())) {
        return;
      }
      repository.recordAction(h, id, "answer", userId, "console", text.length() > 60 ? text.substring(0, 60) + "…" : text,
          now);
    });
    return Action.DONE;
  }

  /** The hand-offs a staff member still has, for {@code /handoffs}. */
  List<Row> activeFor(String userId) {
    return repository.activeFor(userId);
  }

  PatientCard cardOf(Row row) {
    return read(row.card());
  }

  /**
   * Starts the periodic check of queued and unclaimed hand-offs, on one node of the cluster at a time. Each
   * notice is already a compare-and-set on the hand-off's state and level (a second node's card, transfer and
   * line roll back with its lost update), so the gate only spares the other nodes the queries; it also keeps one
   * node's clock deciding when a doctor is reminded.
   */
  public void start(String nodeId) {
    checkJob = OncePerCluster.every(repository.jdbi(), "handoff-check", nodeId, policy.checkEvery(), clock);
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "handoff-check");
      t.setDaemon(true);
      return t;
    });
    long every = policy.checkEvery().toMillis();
    timer.scheduleWithFixedDelay(this::runScheduledCheck, every, every, TimeUnit.MILLISECONDS);
  }

  /** What the timer runs: {@link #runDue} if this node holds the check; true when it ran here. */
  public boolean runScheduledCheck() {
    return checkJob.runIfHolder(() -> {
      try {
        runDue();
      } catch (RuntimeException e) {
        log.error("handoff check failed; next run in {} ms", policy.checkEvery().toMillis(), e);
      }
    });
  }

  @Override
  public void close() {
    if (timer != null) {
      timer.shutdownNow();
    }
    if (checkJob != null) {
      checkJob.close();
    }
  }

  private Account account(String id) {
    return accounts.find(id).orElseThrow(() -> new IllegalStateException("unknown account " + id));
  }

  private String fill(String template, Account doctor) {
    return template.replace("{doctor}", doctor.nickname()).replace("{role}", doctor.role() == null ? "" : doctor.role())
        .replace("{minutes}", String.valueOf(Math.max(1, policy.claimTimeout().toMinutes())))
        .replace("{hours}", doctor.hours().describe());
  }

  private String write(PatientCard card) {
    try {
      return json.writeValueAsString(card);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private PatientCard read(String card) {
    try {
      return card == null ? new PatientCard("", "stranger", List.of(), List.of()) : json.readValue(card, PatientCard.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("handoff card is not valid JSON", e);
    }
  }

  /**
   * The patient moved from {@code fromUserId} to {@code toUserId} (继承): their hand-offs still in progress
   * with the member go to the colleague. A colleague in accounts.yaml gets them as a console reassignment
   * would (a card, the kf session); anyone else simply holds them (the 转接 page shows them). Returns how
   * many moved.
   */
  public int followTransfer(String externalUserId, String fromUserId, String toUserId) {
    int moved = 0;
    for (Row row : repository.activeFor(externalUserId, fromUserId)) {
      if (accounts.find(toUserId).isPresent()) {
        moved += reassign(row.id(), toUserId, toUserId) == Action.DONE ? 1 : 0;
        continue;
      }
      long now = clock.millis();
      moved += repository.jdbi().inTransaction(h -> {
        if (!repository.moveHolder(h, row.id(), fromUserId, toUserId)) {
          return 0;
        }
        repository.recordAction(h, row.id(), "transfer", toUserId, "transfer", fromUserId, now);
        return 1;
      });
    }
    return moved;
  }
}
