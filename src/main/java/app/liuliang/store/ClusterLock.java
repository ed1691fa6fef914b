package app.liuliang.store;

import java.time.Clock;
import java.time.Duration;
import org.jdbi.v3.core.Jdbi;

/**
 * A named lock in the store ({@code cluster_locks}) for work only one node at a time may do, such as the
 * tag sync two nodes starting together would otherwise both do. Taken with one atomic upsert; held until
 * released or until its lease runs out (a dead holder never blocks the others for long).
 */
public final class ClusterLock {

  private final Jdbi jdbi;
  private final String name;
  private final String node;
  private final Duration lease;
  private final Clock clock;

  public ClusterLock(Jdbi jdbi, String name, String node, Duration lease, Clock clock) {
    this.jdbi = jdbi;
    this.name = name;
    this.node = node;
    this.lease = lease;
    this.clock = clock;
  }

  /** True when this node holds the lock now (it was free, lapsed, or already ours). */
  public boolean tryHold() {
    long now = clock.millis();
    return jdbi.withHandle(h -> h.createUpdate("INSERT INTO cluster_locks (name, owner, lease_until) "
            + "VALUES (:name, :me, :until) ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, "
            + "lease_until = excluded.lease_until WHERE cluster_locks.owner = excluded.owner "
            + "OR cluster_locks.lease_until < :now")
        .bind("name", name).bind("me", node).bind("until", now + lease.toMillis()).bind("now", now)
        .execute() == 1);
  }

  /**
   * True when this node took the lock now because it was free or lapsed; false while anyone holds it, this node
   * too (for work done once per lease, such as a daily run a late second fire must not repeat).
   */
  public boolean tryTake() {
    long now = clock.millis();
    return jdbi.withHandle(h -> h.createUpdate("INSERT INTO cluster_locks (name, owner, lease_until) "
            + "VALUES (:name, :me, :until) ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, "
            + "lease_until = excluded.lease_until WHERE cluster_locks.lease_until < :now")
        .bind("name", name).bind("me", node).bind("until", now + lease.toMillis()).bind("now", now)
        .execute() == 1);
  }

  /** Waits up to {@code patience} for the lock; false when another node kept it all that time. */
  public boolean hold(Duration patience) throws InterruptedException {
    long giveUpAt = System.nanoTime() + patience.toNanos();
    while (!tryHold()) {
      if (System.nanoTime() > giveUpAt) {
        return false;
      }
      Thread.sleep(200);
    }
    return true;
  }

  public void release() {
    jdbi.useHandle(h -> h.createUpdate("DELETE FROM cluster_locks WHERE name = :name AND owner = :me")
        .bind("name", name).bind("me", node).execute());
  }
}
