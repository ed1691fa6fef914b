package app.liuliang.ops;

import app.liuliang.app.AppConfig;
import app.liuliang.app.Feature;
import app.liuliang.app.Foundation;
import app.liuliang.store.StoreKind;
import java.time.Duration;
import java.time.LocalTime;
import java.util.Date;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TimeZone;
import org.quartz.CronScheduleBuilder;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobExecutionContext;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.impl.StdSchedulerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Running it for years: the daily backup ({@code backup.*}) and the operator alerts ({@code alerts.*}),
 * on one small Quartz scheduler in RAM (the schedule comes from config at every start).
 *
 * <p>With several nodes: the backup copies the SQLite file, so it runs only on an SQLite store, which one process
 * holds (the data folder's lock), and never twice. A PostgreSQL store is backed up by PostgreSQL's own means
 * ({@code pg_dump}, base backups with WAL archiving), not by each node copying a file it does not have. The alert
 * check runs on every node and tells each condition once ({@link Alerts}).
 */
public final class OpsFeature implements Feature {

  private static final Logger log = LoggerFactory.getLogger(OpsFeature.class);
  private static final String TASKS = "ops";

  private final Optional<ScheduledBackups> backups;
  private final Alerts alerts;
  private final AppConfig app;
  private final Scheduler quartz;

  public OpsFeature(Foundation foundation) throws SchedulerException {
    this.app = foundation.settings().app();
    boolean sqlite = foundation.database().kind() == StoreKind.SQLITE;
    if (app.backup().enabled() && !sqlite) {
      log.info("backup.* is for the SQLite store: back PostgreSQL up with its own tools (pg_dump, base backups)");
    }
    this.backups = app.backup().enabled() && sqlite
        ? Optional.of(new ScheduledBackups(foundation.settings().dataDir(), foundation.settings().configDir(),
            app.backup(), foundation.clock(), app.timezone(), foundation.meters()))
        : Optional.empty();
    this.alerts = new Alerts(foundation, backups);
    Properties props = new Properties();
    props.setProperty("org.quartz.scheduler.instanceName", "liuliang-ops-" + System.identityHashCode(this));
    props.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
    props.setProperty("org.quartz.threadPool.threadCount", "1");
    props.setProperty("org.quartz.threadPool.makeThreadsDaemons", "true");
    props.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
    quartz = new StdSchedulerFactory(props).getScheduler();
  }

  public Optional<ScheduledBackups> backups() {
    return backups;
  }

  public Alerts alerts() {
    return alerts;
  }

  @Override
  public void start() throws SchedulerException {
    if (backups.isPresent()) {
      LocalTime at = app.backup().at();
      schedule("backup", () -> backups.get().run(), TriggerBuilder.newTrigger()
          .withSchedule(CronScheduleBuilder.dailyAtHourAndMinute(at.getHour(), at.getMinute())
              .inTimeZone(TimeZone.getTimeZone(app.timezone())).withMisfireHandlingInstructionFireAndProceed()));
    }
    Duration every = app.alerts().checkEvery();
    schedule("alerts", alerts::check, TriggerBuilder.newTrigger()
        .startAt(new Date(System.currentTimeMillis() + every.toMillis()))
        .withSchedule(SimpleScheduleBuilder.simpleSchedule().withIntervalInMilliseconds(every.toMillis())
            .repeatForever().withMisfireHandlingInstructionNextWithRemainingCount()));
    quartz.start();
  }

  private void schedule(String name, Runnable task, TriggerBuilder<? extends Trigger> trigger) throws SchedulerException {
    quartz.getContext().put(name, task);
    quartz.scheduleJob(JobBuilder.newJob(Task.class).withIdentity(name, TASKS).build(),
        Set.of(trigger.withIdentity(name, TASKS).build()), true);
  }

  @Override
  public boolean schedulerRunning() {
    try {
      return quartz.isStarted() && !quartz.isShutdown();
    } catch (SchedulerException e) {
      return false;
    }
  }

  @Override
  public void close() throws SchedulerException {
    quartz.shutdown(true);
  }

  /** The Quartz job: runs the named task from the scheduler's context; a failure is logged, never rethrown. */
  public static final class Task implements Job {
    @Override
    public void execute(JobExecutionContext context) {
      String name = context.getJobDetail().getKey().getName();
      try {
        ((Runnable) context.getScheduler().getContext().get(name)).run();
      } catch (Exception e) {
        log.error("ops task {} failed: {}", name, e.toString());
      }
    }
  }
}
