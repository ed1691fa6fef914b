package app.liuliang.compliance;

import app.liuliang.app.Feature;
import app.liuliang.app.Foundation;
import app.liuliang.config.Problems;
import app.liuliang.config.YamlReader;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The advertising words as WeCom intercept rules for staff's own chats: reconciled in the background at
 * start (a WeCom outage does not hold up start-up) and every {@link #EVERY_MINUTES} minutes, with
 * {@code compliance.yaml} read again each round so an edited word list reaches WeCom without a restart.
 * With {@code intercept.sync: false} (or no file) nothing is scheduled and WeCom is never called.
 */
public final class InterceptRuleFeature implements Feature {

  private static final Logger log = LoggerFactory.getLogger(InterceptRuleFeature.class);
  static final long EVERY_MINUTES = 10;

  private final Path configDir;
  private final AdvertisingWords atStart;
  private final InterceptRuleSync sync;
  private volatile AdvertisingWords current;
  private ScheduledExecutorService schedule;

  /** {@code words} as read at start (null: no compliance.yaml). */
  public InterceptRuleFeature(Foundation f, AdvertisingWords words) {
    this.configDir = f.settings().configDir();
    this.atStart = words;
    this.current = words;
    this.sync = new InterceptRuleSync(f.wecom(), new InterceptRuleStore(f.database().jdbi()), f.json(), f.clock(),
        f.settings().nodeId());
  }

  @Override
  public void start() {
    if (atStart == null || !atStart.intercept().sync()) {
      log.info("intercept rules: not synced (intercept.sync is off in {})", AdvertisingWords.FILE);
      return;
    }
    schedule = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "intercept-rules");
      t.setDaemon(true);
      return t;
    });
    schedule.scheduleWithFixedDelay(this::syncQuietly, 0, EVERY_MINUTES, TimeUnit.MINUTES);
  }

  /** One round now, with the file as it is (kept as last read valid when it has problems). */
  public InterceptRuleSync.Report sync() {
    Problems problems = new Problems();
    AdvertisingWords reread = AdvertisingWords.read(configDir, new YamlReader(), problems);
    if (reread != null) {
      current = reread;
    } else if (!problems.isEmpty()) {
      log.warn("{} has problems, intercept rules synced from the last valid list:\n{}", AdvertisingWords.FILE, problems);
    }
    if (current == null || !current.intercept().sync()) {
      return InterceptRuleSync.Report.SKIPPED;
    }
    return sync.reconcile(InterceptRulePlan.plan(current));
  }

  private void syncQuietly() {
    try {
      sync();
    } catch (RuntimeException e) {
      log.warn("intercept rules not reconciled ({}); tried again in {} minutes", e.getClass().getSimpleName(),
          EVERY_MINUTES);
    }
  }

  @Override
  public void close() {
    if (schedule != null) {
      schedule.shutdownNow();
      try {
        sync.release();
      } catch (RuntimeException e) {
        log.debug("intercept lease not released ({}); it lapses by itself", e.getClass().getSimpleName());
      }
    }
  }
}
