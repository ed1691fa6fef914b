package app.liuliang.store;

import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.testing.TestServer;
import java.util.Date;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobExecutionContext;
import org.quartz.Scheduler;
import org.quartz.TriggerBuilder;
import org.quartz.impl.SchedulerRepository;
import org.quartz.impl.StdSchedulerFactory;

/**
 * Quartz's clustered job store on a real PostgreSQL, as two nodes' schedulers share it: a job both nodes
 * schedule fires once, and jobs a node scheduled fire on the other when that node is gone before they are due.
 */
class QuartzClusterTest {

  /** Fires per job name, across both schedulers of a test. */
  static final Map<String, AtomicInteger> FIRES = new ConcurrentHashMap<>();
  static final Map<String, String> FIRED_ON = new ConcurrentHashMap<>();

  public static final class CountingJob implements Job {
    @Override
    public void execute(JobExecutionContext context) {
      String name = context.getJobDetail().getKey().getName();
      FIRES.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
      try {
        FIRED_ON.put(name, context.getScheduler().getSchedulerInstanceId());
      } catch (org.quartz.SchedulerException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private static Scheduler node(Database database, String name, String nodeId) throws Exception {
    Properties props = QuartzJobStore.properties(database, name, nodeId);
    props.setProperty("org.quartz.threadPool.threadCount", "2");
    props.setProperty("org.quartz.scheduler.idleWaitTime", "1000");
    Scheduler scheduler = new StdSchedulerFactory(props).getScheduler();
    SchedulerRepository.getInstance().remove(name);  // two nodes in one JVM, as SopScheduler does
    return scheduler;
  }

  private static void scheduleOnce(Scheduler scheduler, String job, long inMillis) throws Exception {
    scheduler.scheduleJob(JobBuilder.newJob(CountingJob.class).withIdentity(job, "items").requestRecovery(true).build(),
        java.util.Set.of(TriggerBuilder.newTrigger().withIdentity(job, "items")
            .startAt(new Date(System.currentTimeMillis() + inMillis)).build()), true);
  }

  @Test
  void aJobBothNodesScheduleFiresOnceAcrossTheCluster() throws Exception {
    TestStores.assumePostgres();
    try (Database database = TestStores.create(StoreKind.POSTGRESQL)) {
      String name = "cluster-" + System.nanoTime();
      Scheduler a = node(database, name, "node-a");
      Scheduler b = node(database, name, "node-b");
      try {
        for (int i = 0; i < 20; i++) {
          scheduleOnce(a, name + "-item-" + i, 1_500);
          if (b.getTrigger(org.quartz.TriggerKey.triggerKey(name + "-item-" + i, "items")) == null) {
            scheduleOnce(b, name + "-item-" + i, 1_500);
          }
        }
        a.start();
        b.start();
        TestServer.awaitUntil(() -> java.util.stream.IntStream.range(0, 20)
            .allMatch(i -> FIRES.containsKey(name + "-item-" + i)));
        Thread.sleep(2_000);  // room for a second firing, which must not come
        for (int i = 0; i < 20; i++) {
          assertThat(FIRES.get(name + "-item-" + i).get()).as("item " + i).isEqualTo(1);
        }
      } finally {
        a.shutdown(true);
        b.shutdown(true);
      }
    }
  }

  @Test
  void jobsOfANodeThatIsGoneFireOnTheOther() throws Exception {
    TestStores.assumePostgres();
    try (Database database = TestStores.create(StoreKind.POSTGRESQL)) {
      String name = "failover-" + System.nanoTime();
      Scheduler a = node(database, name, "node-a");
      a.start();
      for (int i = 0; i < 5; i++) {
        scheduleOnce(a, name + "-item-" + i, 3_000);
      }
      a.shutdown(false);  // node A goes away before anything is due
      Scheduler b = node(database, name, "node-b");
      b.start();
      try {
        TestServer.awaitUntil(() -> java.util.stream.IntStream.range(0, 5)
            .allMatch(i -> FIRES.containsKey(name + "-item-" + i)));
        for (int i = 0; i < 5; i++) {
          assertThat(FIRES.get(name + "-item-" + i).get()).isEqualTo(1);
          assertThat(FIRED_ON.get(name + "-item-" + i)).isEqualTo("node-b");
        }
      } finally {
        b.shutdown(true);
      }
    }
  }
}
