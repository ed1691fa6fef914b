package app.liuliang.store;

import java.time.Clock;
import java.time.Duration;
import org.jdbi.v3.core.Jdbi;

/**
 * A periodic job every node schedules but one node runs: each tick asks {@link #runIfHolder}, which takes (or
 * renews) the job's {@link ClusterLock} and runs the job only when this node holds it. The lease decides how
 * quickly another node takes over when the holder dies:
 * <ul>
 *   <li>{@link #every} (a job repeating every interval): the lease is 1.5 intervals, renewed before and after each
 *       run. The holder's next tick always comes before its lease runs out, so one node keeps the job while it
 *       lives; a dead holder's job is taken by another node at most 2.5 intervals after its last run. A run longer
 *       than the lease could overlap the next holder's: the jobs kept behind this gate still claim their own rows,
 *       so an overlap costs calls, never a second write.
 *   <li>{@link #daily} (a job at a time of day, which every node's cron fires at about the same moment): the lease
 *       is {@link #DAILY_LEASE}, far longer than the nodes' clocks and cron fire times disagree, far shorter than a
 *       day, so the first node to fire takes that day's run (even that node's own second fire within the lease
 *       runs nothing) and the next day the lock is free again: a holder that died never costs the cluster a day.
 * </ul>
 * Only an interval job's holder releases the lock when its node stops, so another takes over at its next tick; a
 * daily job's lock is never released early (a node stopping right after the run would free it for the others'
 * cron, a few milliseconds behind, to run it again).
 */
public final class OncePerCluster implements AutoCloseable {

  /** How long a daily run's lock is held: covers clock skew and late cron fires, never reaches the next day. */
  public static final Duration DAILY_LEASE = Duration.ofHours(1);

  private final ClusterLock lock;
  /** Interval jobs: the holder keeps the job. Daily jobs: every run takes the lock afresh, even from itself. */
  private final boolean renewAndRelease;

  private OncePerCluster(ClusterLock lock, boolean renewAndRelease) {
    this.lock = lock;
    this.renewAndRelease = renewAndRelease;
  }

  /** A job this node runs every {@code interval} (a fixed delay or rate). */
  public static OncePerCluster every(Jdbi jdbi, String job, String node, Duration interval, Clock clock) {
    return new OncePerCluster(new ClusterLock(jdbi, "job:" + job, node, interval.multipliedBy(3).dividedBy(2), clock),
        true);
  }

  /** A job this node runs once a day at a set time. */
  public static OncePerCluster daily(Jdbi jdbi, String job, String node, Clock clock) {
    return new OncePerCluster(new ClusterLock(jdbi, "job:" + job, node, DAILY_LEASE, clock), false);
  }

  /**
   * Runs {@code job} now if this node holds it (interval: it was free, lapsed or already ours; daily: it was free
   * or lapsed, so a second fire within the lease, say a misfire, does not run it again); true when it ran.
   */
  public boolean runIfHolder(Runnable job) {
    if (!(renewAndRelease ? lock.tryHold() : lock.tryTake())) {
      return false;
    }
    try {
      job.run();
    } finally {
      if (renewAndRelease) {
        // From the end of the run: the next tick is an interval from here, well inside 1.5 intervals.
        lock.tryHold();
      }
    }
    return true;
  }

  /** This node stops: an interval job goes to another node at its next tick. */
  @Override
  public void close() {
    if (renewAndRelease) {
      try {
        lock.release();
      } catch (RuntimeException e) {
        // The store is gone already: the lease lapses on its own, a little later.
      }
    }
  }
}
