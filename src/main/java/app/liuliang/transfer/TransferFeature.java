package app.liuliang.transfer;

import app.liuliang.account.Accounts;
import app.liuliang.app.Feature;
import app.liuliang.app.Foundation;
import app.liuliang.callback.CallbackHandler;
import app.liuliang.channel.PersonalCodes;
import app.liuliang.contact.ContactTransfers;
import app.liuliang.handoff.Handoffs;
import app.liuliang.ops.OpsFeature;
import app.liuliang.sop.AdminNotifier;
import app.liuliang.store.OncePerCluster;
import app.liuliang.wecom.WeComApiException;
import java.time.LocalTime;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TimeZone;
import org.quartz.CronScheduleBuilder;
import org.quartz.JobBuilder;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.impl.StdSchedulerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Staff transfers (继承) in the server: the {@code transfer_fail} handler, and on one small Quartz scheduler in
 * RAM the follow-up of unfinished jobs (every {@code follow_every}) and the daily unassigned-customers notice
 * ({@code unassigned_check_at}). The jobs themselves live in the store; the schedule comes from config.
 * Every node schedules both; each runs on one node of the cluster at a time ({@link OncePerCluster}): a job's
 * follow-up is claimed per transfer anyway (a second node would only repeat the result reads), and the daily
 * notice is keyed by the date in the outbox, but two nodes would both page through {@code get_unassigned_list}.
 */
public final class TransferFeature implements Feature {

  private static final Logger log = LoggerFactory.getLogger(TransferFeature.class);
  private static final String TASKS = "transfer";

  private final TransferSettings settings;
  private final StaffTransfers transfers;
  private final UnassignedCheck unassigned;
  private final TransferFailHandler failures;
  private final java.time.ZoneId zone;
  private final Scheduler quartz;
  private final OncePerCluster followJob;
  private final OncePerCluster unassignedJob;

  /**
   * @param handoffs the hand-offs, to move with the patient (empty without the messages feature)
   * @param codes    the personal referral codes, made again behind the colleague (empty without channels)
   */
  public TransferFeature(Foundation f, Accounts accounts, TransferSettings settings, Optional<Handoffs> handoffs,
      Optional<PersonalCodes> codes) throws SchedulerException {
    this.settings = settings;
    TransferRepository repository = new TransferRepository(f.database().jdbi());
    ContactTransfers contacts = new ContactTransfers(f.database().jdbi(), f.clock());
    Audience audience = new Audience(f.wecom(), contacts, settings);
    RecordsFollow records = new RecordsFollow(contacts, f.outbox(), new app.liuliang.sop.SopSenders(f.database().jdbi()),
        handoffs, codes);
    this.transfers = new StaffTransfers(repository, audience, new TransferSubmitter(repository, f.wecom(), settings,
        f.clock()), new ResultFollower(repository, f.wecom(), records, f.clock()), f.clock());
    this.zone = f.settings().app().timezone();
    this.unassigned = new UnassignedCheck(audience, new AdminNotifier(f.outbox(), f.json(), f.clock(),
        f.settings().app().admins(), f.settings().wecom().agentIdAsInt()), accounts, f.clock(), zone);
    this.failures = new TransferFailHandler(repository, f.clock());
    this.followJob = OncePerCluster.every(f.database().jdbi(), "transfer-follow", f.settings().nodeId(),
        settings.followEvery(), f.clock());
    this.unassignedJob = OncePerCluster.daily(f.database().jdbi(), "transfer-unassigned", f.settings().nodeId(), f.clock());
    Properties props = new Properties();
    props.setProperty("org.quartz.scheduler.instanceName", "liuliang-transfer-" + System.identityHashCode(this));
    props.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
    props.setProperty("org.quartz.threadPool.threadCount", "1");
    props.setProperty("org.quartz.threadPool.makeThreadsDaemons", "true");
    props.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
    this.quartz = new StdSchedulerFactory(props).getScheduler();
  }

  public StaffTransfers transfers() {
    return transfers;
  }

  /** The daily notice now (tests, and an operator who wants it early); customers found. */
  public int checkUnassigned() throws WeComApiException {
    return unassigned.run();
  }

  @Override
  public List<CallbackHandler> callbackHandlers() {
    return List.of(failures);
  }

  @Override
  public void start() throws SchedulerException {
    long every = settings.followEvery().toMillis();
    schedule("transfer-follow", this::scheduledFollow, TriggerBuilder.newTrigger()
        .startAt(new Date(System.currentTimeMillis() + Math.min(every, 60_000)))
        .withSchedule(SimpleScheduleBuilder.simpleSchedule().withIntervalInMilliseconds(every).repeatForever()
            .withMisfireHandlingInstructionNextWithRemainingCount()));
    LocalTime at = settings.checkTime();
    schedule("transfer-unassigned", this::scheduledUnassignedCheck, TriggerBuilder.newTrigger()
        .withSchedule(CronScheduleBuilder.dailyAtHourAndMinute(at.getHour(), at.getMinute())
            .inTimeZone(TimeZone.getTimeZone(zone)).withMisfireHandlingInstructionFireAndProceed()));
    quartz.start();
  }

  /** The follow-up as the timer runs it: true when it ran on this node (the job's holder in the cluster). */
  boolean scheduledFollow() {
    return followJob.runIfHolder(transfers::runOpen);
  }

  /** The daily notice as the cron runs it: true when this node's cron was the first of the cluster today. */
  boolean scheduledUnassignedCheck() {
    return unassignedJob.runIfHolder(this::checkQuietly);
  }

  private void checkQuietly() {
    try {
      unassigned.run();
    } catch (WeComApiException e) {
      log.warn("unassigned customers not checked ({}); tried again tomorrow", e.getMessage());
    }
  }

  private void schedule(String name, Runnable task, TriggerBuilder<? extends Trigger> trigger) throws SchedulerException {
    quartz.getContext().put(name, task);
    quartz.scheduleJob(JobBuilder.newJob(OpsFeature.Task.class).withIdentity(name, TASKS).build(),
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
    followJob.close();
    unassignedJob.close();
  }
}
