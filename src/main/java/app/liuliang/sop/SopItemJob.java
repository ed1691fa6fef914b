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
    SopEngine engine;
    try {
      engine = (SopEngine) context.getScheduler().getContext().get(SopScheduler.ENGINE);
    } catch (SchedulerException e) {
      throw new JobExecutionException(e);
    }
    String plan = context.getMergedJobDataMap().getString(PLAN);
    String id = context.getMergedJobDataMap().getString(ID);
    try {
      engine.fire(plan, id, context.isRecovering());
    } catch (RuntimeException e) {
      // Thrown out of here, the one-shot trigger would be gone and the item never sent.
      engine.fireFailed(plan, id, e);
    }
  }
}
