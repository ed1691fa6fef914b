package app.liuliang.sop;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Date;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TimeZone;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.quartz.CronScheduleBuilder;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.CronTrigger;
import org.quartz.SimpleTrigger;
import org.quartz.impl.SchedulerRepository;
import org.quartz.impl.StdSchedulerFactory;
import app.liuliang.store.Database;
import app.liuliang.store.QuartzJobStore;
import org.quartz.impl.matchers.GroupMatcher;

/**
 * Quartz: one job per item ({@code sop/<plan>/<id>}) plus the periodic tasks. The store is the source of
 * truth. On SQLite Quartz runs in RAM and is rebuilt from the store at start; on PostgreSQL every node's
 * scheduler shares Quartz's clustered JDBC job store ({@link QuartzJobStore}), so an item fires on one node
 * once, and a node that dies has its due work fired by another. A node starting beside running ones leaves
 * the triggers they share alone when they already say the same thing. Due instants come from the injected
 * {@link Clock} and are mapped onto Quartz's wall clock, so a test clock set to Monday 09:00 fires
 * a 09:30 item thirty real minutes later (and tests call the job's work directly).
 */
final class SopScheduler implements AutoCloseable {

  static final String ENGINE = "sop.engine";
  static final String ITEMS = "sop-items";
  static final String TASKS = "sop-tasks";
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  /** The one name every node's SOP scheduler has on a shared store: Quartz's clusters are per name. */
  static final String CLUSTER_NAME = "liuliang-sop";

  private final Scheduler quartz;
  private final Clock clock;
  private final boolean clustered;

  SopScheduler(Clock clock, SopEngine engine, Database database, String nodeId) throws SchedulerException {
    this.clock = clock;
    this.clustered = QuartzJobStore.clustered(database);
    String name = clustered ? CLUSTER_NAME : "liuliang-sop-" + INSTANCES.incrementAndGet();
    Properties props = QuartzJobStore.properties(database, name, nodeId);
    props.setProperty("org.quartz.threadPool.threadCount", "2");
    props.setProperty("org.quartz.threadPool.makeThreadsDaemons", "true");
    props.setProperty("org.quartz.jobStore.misfireThreshold", "60000");
    // Quartz's scheduler thread idles up to 30 s when it finds nothing due; a trigger replaced at that
    // moment (a resume, a reload) could wait that long. One second costs nothing with RAMJobStore.
    props.setProperty("org.quartz.scheduler.idleWaitTime", "1000");
    quartz = new StdSchedulerFactory(props).getScheduler();
    // Quartz keeps one scheduler per name in a JVM-wide registry; clustered nodes share a name, and tests
    // run two nodes in one JVM. Each SopScheduler holds its own instance, so it leaves the registry.
    SchedulerRepository.getInstance().remove(name);
    quartz.getContext().put(ENGINE, engine);
  }

  void start() throws SchedulerException {
    quartz.start();
  }

  /** (Re)places the item's job at its due minute; an overdue item fires at once (the engine decides). */
  void schedule(SopItem item) throws SchedulerException {
    fireAt(item, item.dueAt());
  }

  void fireAt(SopItem item, long atMillis) throws SchedulerException {
    fireAt(item.plan(), item.id(), atMillis);
  }

  void fireAt(String plan, String id, long atMillis) throws SchedulerException {
    String jobName = SopItem.jobName(plan, id);
    Date at = wall(atMillis);
    if (clustered && sameStart(TriggerKey.triggerKey(jobName, ITEMS), at)) {
      return;  // another node scheduled it already; replacing it could take it from the node that holds it
    }
    // Recovery requested: if the node running the job dies mid-way, another node runs it again (the
    // engine's claim on the item and the outbox keys make that safe).
    JobDetail job = JobBuilder.newJob(SopItemJob.class).withIdentity(jobName, ITEMS).requestRecovery(true)
        .usingJobData(SopItemJob.PLAN, plan).usingJobData(SopItemJob.ID, id).build();
    Trigger trigger = TriggerBuilder.newTrigger().withIdentity(jobName, ITEMS)
        .startAt(at)
        .withSchedule(SimpleScheduleBuilder.simpleSchedule().withMisfireHandlingInstructionFireNow())
        .build();
    quartz.scheduleJob(job, Set.of(trigger), true);
  }

  void unschedule(String jobName) throws SchedulerException {
    quartz.deleteJob(JobKey.jobKey(jobName, ITEMS));
  }

  /** Names of the item jobs now scheduled. */
  Set<String> itemJobs() throws SchedulerException {
    Set<String> names = new TreeSet<>();
    for (JobKey key : quartz.getJobKeys(GroupMatcher.jobGroupEquals(ITEMS))) {
      names.add(key.getName());
    }
    return names;
  }

  Optional<Date> nextFire(String jobName) throws SchedulerException {
    Trigger trigger = quartz.getTrigger(TriggerKey.triggerKey(jobName, ITEMS));
    return Optional.ofNullable(trigger).map(Trigger::getNextFireTime);
  }

  /** True when the trigger exists and fires at {@code at} (within a second: wall() moves as time does). */
  private boolean sameStart(TriggerKey key, Date at) throws SchedulerException {
    Trigger existing = quartz.getTrigger(key);
    return existing != null && existing.getNextFireTime() != null
        && Math.abs(existing.getStartTime().getTime() - at.getTime()) < 1_000;
  }

  void every(String task, Duration interval) throws SchedulerException {
    if (clustered && quartz.getTrigger(TriggerKey.triggerKey(task, TASKS)) instanceof SimpleTrigger existing
        && existing.getRepeatInterval() == interval.toMillis()) {
      return;
    }
    Trigger trigger = TriggerBuilder.newTrigger().withIdentity(task, TASKS)
        .startAt(new Date(System.currentTimeMillis() + interval.toMillis()))
        .withSchedule(SimpleScheduleBuilder.simpleSchedule().withIntervalInMilliseconds(interval.toMillis())
            .repeatForever().withMisfireHandlingInstructionNextWithRemainingCount())
        .build();
    quartz.scheduleJob(taskJob(task), Set.of(trigger), true);
  }

  /** A Quartz cron expression in the clinic's timezone, e.g. {@code 0 0 10 ? * MON}. */
  void cron(String task, String expression, ZoneId zone) throws SchedulerException {
    if (clustered && quartz.getTrigger(TriggerKey.triggerKey(task, TASKS)) instanceof CronTrigger existing
        && existing.getCronExpression().equals(expression) && existing.getTimeZone().toZoneId().equals(zone)) {
      return;
    }
    Trigger trigger = TriggerBuilder.newTrigger().withIdentity(task, TASKS)
        .withSchedule(CronScheduleBuilder.cronSchedule(expression).inTimeZone(TimeZone.getTimeZone(zone))
            .withMisfireHandlingInstructionDoNothing())
        .build();
    quartz.scheduleJob(taskJob(task), Set.of(trigger), true);
  }

  /** Runs a task once after a delay (e.g. poll a Moments task a minute after it was created). */
  void once(String task, String name, Duration delay) throws SchedulerException {
    JobDetail job = JobBuilder.newJob(SopTaskJob.class).withIdentity(name, TASKS).usingJobData(SopTaskJob.TASK, task).build();
    Trigger trigger = TriggerBuilder.newTrigger().withIdentity(name, TASKS)
        .startAt(new Date(System.currentTimeMillis() + delay.toMillis())).build();
    quartz.scheduleJob(job, Set.of(trigger), true);
  }

  private static JobDetail taskJob(String task) {
    return JobBuilder.newJob(SopTaskJob.class).withIdentity(task, TASKS).usingJobData(SopTaskJob.TASK, task).build();
  }

  private Date wall(long clockMillis) {
    return new Date(System.currentTimeMillis() + Math.max(0, clockMillis - clock.millis()));
  }

  /** True when the triggers live in the clustered store other nodes share. */
  boolean clustered() {
    return clustered;
  }

  /** True while Quartz runs: what {@code /ready} reports as "scheduler". */
  boolean isRunning() {
    try {
      return quartz.isStarted() && !quartz.isShutdown() && !quartz.isInStandbyMode();
    } catch (SchedulerException e) {
      return false;
    }
  }

  @Override
  public void close() throws SchedulerException {
    quartz.shutdown(true);
  }
}
