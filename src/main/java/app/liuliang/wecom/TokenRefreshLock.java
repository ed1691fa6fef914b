package app.liuliang.wecom;

import app.liuliang.store.ClusterLock;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import org.jdbi.v3.core.Jdbi;

/**
 * The lock WxJava takes before it calls {@code gettoken}: this JVM's threads queue on a plain lock, and the
 * holder then takes a lock in the store, so of several nodes that find the token expired at once one
 * fetches it. WxJava looks at the token again once it holds the lock; the others find the fresh one in
 * the store and do not call WeCom. A node that dies holding it blocks the others for at most the lease.
 */
final class TokenRefreshLock implements Lock {

  private static final Duration LEASE = Duration.ofSeconds(15);

  private final ReentrantLock local = new ReentrantLock();
  private final ClusterLock shared;

  TokenRefreshLock(Jdbi jdbi, String corpId, String agentId, Clock clock) {
    String holder = "pid-" + ProcessHandle.current().pid() + "-" + Integer.toHexString(System.identityHashCode(this));
    this.shared = new ClusterLock(jdbi, "wecom-token:" + corpId + ":" + agentId, holder, LEASE, clock);
  }

  @Override
  public void lock() {
    local.lock();
    if (local.getHoldCount() > 1) {
      return;
    }
    try {
      // After the lease at the latest the lock is ours: a fetch twice is better than none.
      if (!shared.hold(LEASE)) {
        shared.tryHold();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException storeDown) {
      // The store is unreachable: refresh anyway, this node needs a token to work at all.
    }
  }

  @Override
  public void unlock() {
    try {
      if (local.getHoldCount() == 1) {
        shared.release();
      }
    } catch (RuntimeException storeDown) {
      // The lease runs out by itself.
    } finally {
      local.unlock();
    }
  }

  @Override
  public void lockInterruptibly() throws InterruptedException {
    lock();
  }

  @Override
  public boolean tryLock() {
    if (!local.tryLock()) {
      return false;
    }
    if (local.getHoldCount() > 1 || shared.tryHold()) {
      return true;
    }
    local.unlock();
    return false;
  }

  @Override
  public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
    if (!local.tryLock(time, unit)) {
      return false;
    }
    if (local.getHoldCount() > 1 || shared.hold(Duration.ofNanos(unit.toNanos(time)))) {
      return true;
    }
    local.unlock();
    return false;
  }

  @Override
  public Condition newCondition() {
    throw new UnsupportedOperationException("no conditions on the token lock");
  }
}
