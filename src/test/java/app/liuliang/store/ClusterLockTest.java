package app.liuliang.store;

import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.testing.MutableClock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The store's named locks: one holder at a time across nodes, a lapsed lease frees it, only the holder releases. */
class ClusterLockTest {

  @ParameterizedTest
  @MethodSource("app.liuliang.store.TestStores#kinds")
  void oneHolderAtATimeAndALapsedLeaseFreesTheLock(StoreKind kind) throws Exception {
    MutableClock clock = MutableClock.atSystemTime();
    try (Database db = TestStores.create(kind)) {
      ClusterLock a = new ClusterLock(db.jdbi(), "tag-sync", "node-a", Duration.ofSeconds(60), clock);
      ClusterLock b = new ClusterLock(db.jdbi(), "tag-sync", "node-b", Duration.ofSeconds(60), clock);
      assertThat(a.tryHold()).isTrue();
      assertThat(b.tryHold()).isFalse();
      b.release();  // not b's to release
      assertThat(b.tryHold()).isFalse();
      clock.advance(Duration.ofSeconds(61));
      assertThat(b.tryHold()).as("a's lease lapsed").isTrue();
      assertThat(a.tryHold()).isFalse();
      b.release();
      assertThat(a.tryHold()).isTrue();
      a.release();

      // Eight nodes racing: exactly one wins each round.
      ExecutorService racers = Executors.newFixedThreadPool(8);
      try {
        for (int round = 0; round < 10; round++) {
          AtomicInteger winners = new AtomicInteger();
          CountDownLatch go = new CountDownLatch(1);
          CountDownLatch done = new CountDownLatch(8);
          for (int n = 0; n < 8; n++) {
            ClusterLock lock = new ClusterLock(db.jdbi(), "race-" + round, "node-" + n, Duration.ofSeconds(60), clock);
            racers.execute(() -> {
              try {
                go.await();
                if (lock.tryHold()) {
                  winners.incrementAndGet();
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } finally {
                done.countDown();
              }
            });
          }
          go.countDown();
          done.await();
          assertThat(winners.get()).as("round " + round).isEqualTo(1);
        }
      } finally {
        racers.shutdownNow();
      }
    }
  }
}
