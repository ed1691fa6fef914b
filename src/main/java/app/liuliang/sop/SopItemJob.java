package app.liuliang.sop;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.SchedulerException;

/** Fires one plan item ({@code sop/<plan>/<id>}); the engine decides send, late-send or missed. */
@DisallowConcurrentExecution
public final class SopItemJob implements Job {

  static final String PLAN = "plan";
  static final String ID = "id";

  @Override
  public void execute(JobExecutionContext context) throws JobExecutionException {
    try {
      SopEngine engine = (SopEngine) context.getScheduler().getContext().get(SopScheduler.ENGINE);
      engine.fire(context.getMergedJobDataMap().getString(PLAN), context.getMergedJobDataMap().getString(ID),
          context.isRecovering());
    } catch (SchedulerException e) {
      throw new JobExecutionException(e);
    }
  }
}
