package app.liuliang.sop;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.SchedulerException;

/** A periodic or cron task of the engine: watch, confirm, journeys, monday-check, week-summary. */
@DisallowConcurrentExecution
public final class SopTaskJob implements Job {

  static final String TASK = "task";

  @Override
  public void execute(JobExecutionContext context) throws JobExecutionException {
    try {
      SopEngine engine = (SopEngine) context.getScheduler().getContext().get(SopScheduler.ENGINE);
      engine.runTask(context.getMergedJobDataMap().getString(TASK));
    } catch (SchedulerException e) {
      throw new JobExecutionException(e);
    }
  }
}
