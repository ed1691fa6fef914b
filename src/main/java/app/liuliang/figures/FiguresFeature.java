package app.liuliang.figures;

import app.liuliang.account.Account;
import app.liuliang.account.Accounts;
import app.liuliang.app.Feature;
import app.liuliang.app.Foundation;
import app.liuliang.contact.StaffContacts;
import app.liuliang.handoff.HandoffClaims;
import java.time.LocalTime;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TimeZone;
import org.quartz.CronScheduleBuilder;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobExecutionContext;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.impl.StdSchedulerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-staff figures: WeCom's behaviour data fetched every day at {@value #FETCH_AT_TEXT} (clinic time),
 * once at start, and again at ten past every later hour of the day ({@value #RETRY_CRON}), on a small
 * Quartz scheduler in RAM, like the ops tasks. A staff member already fetched today is skipped (one
 * UPDATE, no WeCom call), so the hourly runs only pick up those that failed (WeCom's error, a node that
 * died holding the lease) instead of leaving them a day behind. Staff are the accounts in
 * accounts.yaml and every follow user the store knows.
 */
public final class FiguresFeature implements Feature {

  private static final Logger log = LoggerFactory.getLogger(FiguresFeature.class);
  static final LocalTime FETCH_AT = LocalTime.of(7, 10);
  private static final String FETCH_AT_TEXT = "07:10";
  private static final String RETRY_CRON = "0 10 8-23 * * ?";
  private static final String GROUP = "figures";
  private static final String JOB = "fetch";

  private final StaffFigureFetcher fetcher;
  private final StaffFigures figures;
  private final StaffGauges gauges;
  private final Scheduler quartz;
  private final TimeZone zone;

  public FiguresFeature(Foundation f, Accounts accounts) throws SchedulerException {
    StaffFigureRepository repository = new StaffFigureRepository(f.database().jdbi());
    StaffContacts contacts = new StaffContacts(f.database().jdbi());
    this.zone = TimeZone.getTimeZone(f.settings().app().timezone());
    this.fetcher = new StaffFigureFetcher(repository, f.wecom(), () -> staff(accounts, contacts), f.clock(),
        f.settings().app().timezone(), f.meters());
    this.figures = new StaffFigures(repository, new HandoffClaims(f.database().jdbi()), contacts, accounts, f.clock(),
        f.settings().app().timezone());
    this.gauges = new StaffGauges(figures, f.clock());
    gauges.register(f.meters(), figures.staff());
    Properties props = new Properties();
    props.setProperty("org.quartz.scheduler.instanceName", "liuliang-figures-" + System.identityHashCode(this));
    props.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
    props.setProperty("org.quartz.threadPool.threadCount", "1");
    props.setProperty("org.quartz.threadPool.makeThreadsDaemons", "true");
    props.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
    quartz = new StdSchedulerFactory(props).getScheduler();
  }

  /** Configured staff first, then the store's other follow users. */
  private static List<String> staff(Accounts accounts, StaffContacts contacts) {
    Set<String> ids = new LinkedHashSet<>();
    if (accounts != null) {
      accounts.accounts().stream().map(Account::id).forEach(ids::add);
    }
    ids.addAll(contacts.followUserIds());
    return List.copyOf(ids);
  }

  /** What the 员工 page shows. */
  public StaffFigures figures() {
    return figures;
  }

  /** Fetches now, on the caller's thread (tests, and the start-up run). */
  public StaffFigureFetcher.Report fetchNow() {
    try {
      return fetcher.run();
    } finally {
      gauges.invalidate();
    }
  }

  @Override
  public void start() throws SchedulerException {
    quartz.getContext().put(JOB, (Runnable) this::fetchNow);
    Trigger daily = TriggerBuilder.newTrigger().withIdentity("daily", GROUP)
        .withSchedule(CronScheduleBuilder.dailyAtHourAndMinute(FETCH_AT.getHour(), FETCH_AT.getMinute())
            .inTimeZone(zone).withMisfireHandlingInstructionFireAndProceed()).build();
    Trigger retry = TriggerBuilder.newTrigger().withIdentity("retry", GROUP)
        .withSchedule(CronScheduleBuilder.cronSchedule(RETRY_CRON).inTimeZone(zone)
            .withMisfireHandlingInstructionDoNothing()).build();
    Trigger atStart = TriggerBuilder.newTrigger().withIdentity("start", GROUP).startNow().build();
    quartz.scheduleJob(JobBuilder.newJob(FetchJob.class).withIdentity(JOB, GROUP).build(), Set.of(daily, retry, atStart),
        true);
    quartz.start();
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

  /** The Quartz job: runs the fetch; a failure is logged, never rethrown (the next run resumes). */
  public static final class FetchJob implements Job {
    @Override
    public void execute(JobExecutionContext context) {
      try {
        ((Runnable) context.getScheduler().getContext().get(JOB)).run();
      } catch (Exception e) {
        log.error("staff figures fetch failed: {}", e.toString());
      }
    }
  }
}
