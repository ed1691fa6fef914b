package app.liuliang.sop;

import app.liuliang.config.ConfigProblem;
import app.liuliang.wecom.WeComApiException;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.quartz.SchedulerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SOP's moving parts together: syncs plan files into the store and Quartz, fires items (on
 * time, late within the grace window, or records them missed), follows broadcasts to confirmed,
 * and runs the periodic tasks (watch, confirm, journeys, Monday check, Sunday summary).
 */
final class SopEngine {

  private static final Logger log = LoggerFactory.getLogger(SopEngine.class);
  /** After a store error in an item's job: soon, the store is back within seconds or everything waits anyway. */
  static final Duration STORE_RETRY = Duration.ofSeconds(10);

  private final SopRepository repository;
  private final SopPlans plans;
  private final SopDispatcher dispatcher;
  private final ConfirmationTracker confirmations;
  private final WeekReports reports;
  private final JourneyRunner journeys;
  private final app.liuliang.logging.ThrottledLog missedLog;
  private final AdminNotifier notifier;
  private final SopSettings settings;
  private final Clock clock;
  private final ZoneId zone;
  private final MeterRegistry meters;
  private SopScheduler scheduler;
  private Runnable watch = this::reload;

  SopEngine(SopRepository repository, SopPlans plans, SopDispatcher dispatcher, ConfirmationTracker confirmations,
      WeekReports reports, JourneyRunner journeys, AdminNotifier notifier, SopSettings settings, Clock clock,
      ZoneId zone, MeterRegistry meters) {
    this.repository = repository;
    this.plans = plans;
    this.dispatcher = dispatcher;
    this.confirmations = confirmations;
    this.reports = reports;
    this.journeys = journeys;
    this.notifier = notifier;
    this.settings = settings;
    this.clock = clock;
    this.missedLog = new app.liuliang.logging.ThrottledLog(log, clock, Duration.ofMinutes(1));
    this.zone = zone;
    this.meters = meters;
  }

  void attach(SopScheduler scheduler) {
    this.scheduler = scheduler;
  }

  /** What the periodic watch runs (the feature adds journeys.yaml to the plan files). */
  void onWatch(Runnable watch) {
    this.watch = watch;
  }

  /** Loads the plans, schedules every waiting item (overdue ones fire at once) and the periodic tasks. */
  void start() throws SchedulerException {
    reload();
    for (SopRepository.StoredItem waiting : repository.withStatus(SopRepository.SCHEDULED)) {
      scheduler.schedule(waiting.item());
    }
    if (!scheduler.clustered()) {
      // On a shared store a "sending" item may be another live node's. A node that died mid-item is
      // Quartz's to recover instead: the item's job requests recovery and fire() resumes it (see there).
      resumeInterrupted();
    }
    scheduler.every("watch", settings.watchEvery());
    scheduler.every("confirm", settings.confirmPoll());
    scheduler.every("journeys", settings.journeysEvery());
    LocalTime monday = LocalTime.parse(settings.mondayCheck());
    LocalTime sunday = LocalTime.parse(settings.sundaySummary());
    scheduler.cron("monday-check", "0 " + monday.getMinute() + " " + monday.getHour() + " ? * MON", zone);
    scheduler.cron("week-summary", "0 " + sunday.getMinute() + " " + sunday.getHour() + " ? * SUN", zone);
    scheduler.start();
  }

  /**
   * A crash between claiming a group or 1:1 item and queueing its last broadcast leaves it
   * "sending": within the grace window it runs again, and the delivery rows and idempotency keys
   * make sure only those not reached before get it.
   */
  private void resumeInterrupted() throws SchedulerException {
    long now = clock.millis();
    for (SopRepository.StoredItem s : repository.withStatus(SopRepository.SENDING)) {
      SopItem item = s.item();
      if (resumable(item, now) && repository.moveStatus(item.plan(), item.id(), SopRepository.SENDING,
          SopRepository.SCHEDULED, "resuming after a restart", now)) {
        scheduler.schedule(item);
        log.info("sop item {} resumes after a restart", item.jobName());
      }
    }
  }

  /**
   * A Moment is never resumed (WeCom cannot tell whether its task was created); other items within the
   * grace window are, and their delivery rows and idempotency keys skip those already reached.
   */
  private boolean resumable(SopItem item, long now) {
    return !SopItem.MOMENT.equals(item.channel()) && now - item.dueAt() <= settings.grace().toMillis();
  }

  /** Syncs changed plan files: valid ones replace their jobs, invalid ones are reported and kept out. */
  synchronized List<SopPlans.Change> reload() {
    List<SopPlans.Change> changes = plans.sync();
    for (SopPlans.Change change : changes) {
      if (change.valid()) {
        apply(change);
      } else if (change.fresh()) {
        String errors = change.problems().stream().map(ConfigProblem::toString).collect(Collectors.joining("\n"));
        log.warn("sop plan {} is invalid ({} problems), the running plan stays:\n{}", change.key(),
            change.problems().size(), errors);
        meters.counter("liuliang.sop.invalid_plans").increment();
        // Keyed by file and content: each distinct broken version is told once, however often it is reloaded.
        notifier.tell("sop-invalid:" + change.key() + ":" + change.checksum(),
            "【SOP 计划有误】" + change.file().getFileName() + " 未生效，仍按原计划执行。请修改：\n" + errors);
      }
    }
    return changes;
  }

  private void apply(SopPlans.Change change) {
    try {
      for (String id : change.diff().removed()) {
        scheduler.unschedule(SopItem.jobName(change.key(), id));
      }
      for (SopItem item : change.diff().changed()) {
        scheduler.schedule(item);
      }
      for (SopItem item : change.diff().added()) {
        scheduler.schedule(item);
      }
      log.info("sop plan {} loaded: {} added, {} changed, {} removed", change.key(), change.diff().added().size(),
          change.diff().changed().size(), change.diff().removed().size());
    } catch (SchedulerException e) {
      throw new IllegalStateException("cannot schedule plan " + change.key(), e);
    }
  }

  /** Fires one item: what its Quartz job does. Safe to call twice: only a scheduled item sends. */
  void fire(String plan, String id) {
    fire(plan, id, false);
  }

  /**
   * @param recovering true when Quartz runs the job again because the node running it died (clustered
   *                   store): an item that node left "sending" resumes within the grace window, as
   *                   {@link #resumeInterrupted()} does after a restart on SQLite
   */
  void fire(String plan, String id, boolean recovering) {
    Optional<SopRepository.StoredItem> stored = repository.item(plan, id);
    if (stored.isPresent() && recovering && SopRepository.SENDING.equals(stored.get().status())
        && resumable(stored.get().item(), clock.millis())) {
      if (repository.moveStatus(plan, id, SopRepository.SENDING, SopRepository.SCHEDULED,
          "resuming: the node sending it stopped", clock.millis())) {
        log.info("sop item {} resumes on this node: the node sending it stopped", stored.get().item().jobName());
      }
      stored = repository.item(plan, id);
    }
    if (stored.isEmpty() || !SopRepository.SCHEDULED.equals(stored.get().status())) {
      return;
    }
    SopItem item = stored.get().item();
    Instant now = clock.instant();
    if (now.toEpochMilli() < item.dueAt()) {
      reschedule(item, item.dueAt());
      return;
    }
    long late = now.toEpochMilli() - item.dueAt();
    if (late > settings.grace().toMillis()) {
      if (!repository.moveStatus(plan, id, SopRepository.SCHEDULED, SopRepository.MISSED,
          "server was down at the planned minute (late by " + Duration.ofMillis(late).toMinutes() + " min)",
          now.toEpochMilli())) {
        return;
      }
      meters.counter("liuliang.sop.fired", "outcome", "missed").increment();
      // After a long stop (or on a fresh start with an old example week) many items are missed at once:
      // the first is logged, the rest summarised per minute (each is recorded with its status anyway).
      missedLog.warn("missed", "sop item " + item.jobName() + " missed: " + Duration.ofMillis(late).toMinutes()
          + " min late (recorded as missed; the console's 本周 page lists them)");
      return;
    }
    if (!repository.claim(plan, id, now.toEpochMilli())) {
      return;
    }
    try {
      String detail = dispatcher.send(item, now, zoneOf(item));
      repository.moveStatus(plan, id, SopRepository.SENDING, SopRepository.SENDING, detail, now.toEpochMilli());
      refresh(plan, id);
      meters.counter("liuliang.sop.fired", "outcome", "fired").increment();
      log.info("sop item {} fired {} min late: {}", item.jobName(), Duration.ofMillis(late).toMinutes(), detail);
    } catch (WeComApiException e) {
      if (e.kind() != WeComApiException.Kind.REJECTED) {
        if (repository.moveStatus(plan, id, SopRepository.SENDING, SopRepository.SCHEDULED,
            "retrying: " + e.getMessage(), now.toEpochMilli())) {
          reschedule(item, now.plusSeconds(60).toEpochMilli());
        }
      } else {
        fail(item, "WeCom refused an upload: errcode " + e.errcode());
      }
    } catch (RuntimeException e) {
      log.error("sop item {} could not be sent", item.jobName(), e);
      fail(item, e.toString());
    }
  }

  /**
   * The item's job failed on the store (a busy or lost connection) before it could claim or settle the item:
   * it is tried again shortly rather than dropped with its one-shot trigger. Failures past the claim are the
   * claim's to recover (a "sending" item resumes after a restart, or on the node that recovers the job).
   */
  void fireFailed(String plan, String id, RuntimeException e) {
    log.warn("sop item {} not fired ({}); tried again in {} s", SopItem.jobName(plan, id), e.toString(),
        STORE_RETRY.toSeconds());
    try {
      scheduler.fireAt(plan, id, clock.millis() + STORE_RETRY.toMillis());
    } catch (SchedulerException again) {
      log.error("sop item {} cannot be rescheduled; it fires after the next restart or plan reload",
          SopItem.jobName(plan, id), again);
    }
  }

  private ZoneId zoneOf(SopItem item) {
    return zone;
  }

  private void fail(SopItem item, String reason) {
    repository.moveStatus(item.plan(), item.id(), SopRepository.SENDING, SopRepository.FAILED, reason, clock.millis());
    meters.counter("liuliang.sop.fired", "outcome", "failed").increment();
    log.warn("sop item {} failed: {}", item.jobName(), reason);
  }

  private void reschedule(SopItem item, long at) {
    try {
      scheduler.fireAt(item, at);
    } catch (SchedulerException e) {
      throw new IllegalStateException("cannot reschedule " + item.jobName(), e);
    }
  }

  void broadcastSent(String outboxKey, String ref, String detail) {
    repository.broadcast(outboxKey).ifPresent(b -> {
      repository.updateBroadcast(outboxKey, SopRepository.SENT, ref, detail, clock.millis(), null);
      refresh(b.week(), b.itemId());
      if (SopItem.MOMENT.equals(b.kind()) && scheduler != null) {
        try {
          scheduler.once("confirm", "confirm-" + outboxKey, Duration.ofMinutes(1));
        } catch (SchedulerException e) {
          log.warn("cannot schedule the Moments result poll for {}", outboxKey, e);
        }
      }
    });
  }

  void broadcastFailed(String outboxKey, String detail) {
    repository.broadcast(outboxKey).ifPresent(b -> {
      repository.updateBroadcast(outboxKey, SopRepository.FAILED, null, detail, null, null);
      refresh(b.week(), b.itemId());
    });
  }

  /** The item's status from its broadcasts: all confirmed → confirmed; any sent → sent; all failed → failed. */
  void refresh(String plan, String id) {
    Optional<SopRepository.StoredItem> stored = repository.item(plan, id);
    if (stored.isEmpty() || !List.of(SopRepository.SENDING, SopRepository.SENT).contains(stored.get().status())) {
      return;
    }
    Map<String, Long> b = repository.broadcastStatuses(plan, id);
    long total = b.values().stream().mapToLong(Long::longValue).sum();
    long confirmed = b.getOrDefault(SopRepository.CONFIRMED, 0L);
    long sent = b.getOrDefault(SopRepository.SENT, 0L);
    long queued = b.getOrDefault("queued", 0L);
    String status = total == 0 || (queued == 0 && sent > 0) ? SopRepository.SENT
        : confirmed == total ? SopRepository.CONFIRMED
        : queued > 0 ? SopRepository.SENDING
        : confirmed > 0 ? SopRepository.SENT : SopRepository.FAILED;
    if (!status.equals(stored.get().status())) {
      repository.moveStatus(plan, id, stored.get().status(), status, stored.get().detail(), clock.millis());
    }
  }

  void runTask(String task) {
    Instant now = clock.instant();
    switch (task) {
      case "watch" -> watch.run();
      case "confirm" -> confirmations.poll().forEach(k -> refresh(k.split("\n")[0], k.split("\n")[1]));
      case "journeys" -> journeys.run(now);
      case "monday-check" -> reports.mondayCheck(now, zone);
      case "week-summary" -> reports.summary(now, zone);
      default -> log.warn("unknown sop task {}", task);
    }
  }

  SopRepository repository() {
    return repository;
  }

  SopScheduler scheduler() {
    return scheduler;
  }
}
