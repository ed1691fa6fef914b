package app.liuliang.store;

import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Periodic jobs on two nodes: one runs each round, a dead holder's job moves on after its lease, no day is skipped. */
class OncePerClusterTest {

  private static final Duration EVERY = Duration.ofMinutes(10);

  @ParameterizedTest
  @MethodSource("app.liuliang.store.TestStores#kinds")
  void anIntervalJobRunsOnOneNodeEachRoundAndMovesWhenItsHolderDies(StoreKind kind) throws Exception {
    MutableClock clock = MutableClock.atSystemTime();
    try (Database db = TestStores.create(kind)) {
      OncePerCluster a = OncePerCluster.every(db.jdbi(), "reconcile", "node-a", EVERY, clock);
      OncePerCluster b = OncePerCluster.every(db.jdbi(), "reconcile", "node-b", EVERY, clock);
      AtomicInteger onA = new AtomicInteger();
      AtomicInteger onB = new AtomicInteger();
      ExecutorService nodes = Executors.newFixedThreadPool(2);
      try {
        for (int round = 0; round < 50; round++) {
          CountDownLatch go = new CountDownLatch(1);
          Future<Boolean> ranA = nodes.submit(() -> { go.await(); return a.runIfHolder(onA::incrementAndGet); });
          Future<Boolean> ranB = nodes.submit(() -> { go.await(); return b.runIfHolder(onB::incrementAndGet); });
          go.countDown();
          assertThat((ranA.get() ? 1 : 0) + (ranB.get() ? 1 : 0)).as("round " + round).isEqualTo(1);
          // Each node's next tick is an interval later, give or take its run's length.
          clock.advance(EVERY.plusSeconds(round % 3 == 0 ? 20 : 0));
        }
      } finally {
        nodes.shutdownNow();
      }
      assertThat(onA.get() + onB.get()).isEqualTo(50);
      assertThat(onA.get() == 50 || onB.get() == 50).as("one node keeps the job while it lives").isTrue();

      OncePerCluster holder = onA.get() == 50 ? a : b;
      OncePerCluster survivor = holder == a ? b : a;
      // The holder ticks once more and dies (no more ticks, no release): the survivor waits out the lease.
      AtomicInteger taken = new AtomicInteger();
      assertThat(holder.runIfHolder(() -> { })).isTrue();
      assertThat(survivor.runIfHolder(taken::incrementAndGet)).as("the holder ran a moment ago").isFalse();
      clock.advance(EVERY);
      assertThat(survivor.runIfHolder(taken::incrementAndGet)).as("one interval after its last tick").isFalse();
      clock.advance(EVERY);
      assertThat(survivor.runIfHolder(taken::incrementAndGet)).as("past 1.5 intervals").isTrue();
      clock.advance(EVERY);
      assertThat(survivor.runIfHolder(taken::incrementAndGet)).isTrue();
      assertThat(taken.get()).isEqualTo(2);
      // A holder that stops cleanly hands over at the other's next tick.
      survivor.close();
      assertThat(holder.runIfHolder(taken::incrementAndGet)).isTrue();
    }
  }

  @ParameterizedTest
  @MethodSource("app.liuliang.store.TestStores#kinds")
  void aDailyJobRunsOnceADayAndTheDayAfterItsHolderDiedIsNotSkipped(StoreKind kind) throws Exception {
    Instant threeAm = Instant.parse("2026-12-01T19:00:00Z");  // 03:00 in Shanghai
    MutableClock clock = new MutableClock(threeAm);
    try (Database db = TestStores.create(kind)) {
      OncePerCluster a = OncePerCluster.daily(db.jdbi(), "unassigned", "node-a", clock);
      OncePerCluster b = OncePerCluster.daily(db.jdbi(), "unassigned", "node-b", clock);
      AtomicInteger runs = new AtomicInteger();
      for (int day = 0; day < 10; day++) {
        clock.set(threeAm.plus(Duration.ofDays(day)));
        // Both crons fire at 03:00, in either order, a few milliseconds apart.
        OncePerCluster first = day % 2 == 0 ? a : b;
        OncePerCluster second = first == a ? b : a;
        boolean ran = first.runIfHolder(runs::incrementAndGet);
        clock.advance(Duration.ofMillis(30));
        ran ^= second.runIfHolder(runs::incrementAndGet);
        assertThat(ran).as("day " + day + ": exactly one ran").isTrue();
        // A cron that fires late (misfire handling after a pause) does not run it again that day.
        clock.advance(Duration.ofMinutes(20));
        assertThat(second.runIfHolder(runs::incrementAndGet)).isFalse();
        assertThat(first.runIfHolder(runs::incrementAndGet)).isFalse();
      }
      assertThat(runs.get()).isEqualTo(10);

      // a runs day 10 and dies; b's cron the next day runs it.
      clock.set(threeAm.plus(Duration.ofDays(10)));
      assertThat(a.runIfHolder(runs::incrementAndGet)).isTrue();
      a.close();  // a daily lock is not released: b firing a moment later must not run it again
      assertThat(b.runIfHolder(runs::incrementAndGet)).isFalse();
      clock.set(threeAm.plus(Duration.ofDays(11)).plusMillis(5));
      assertThat(b.runIfHolder(runs::incrementAndGet)).isTrue();
      assertThat(runs.get()).isEqualTo(12);
    }
  }
}
