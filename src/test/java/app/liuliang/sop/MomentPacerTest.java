package app.liuliang.sop;

import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.store.Database;
import app.liuliang.store.PaceSlots;
import app.liuliang.store.StoreKind;
import app.liuliang.store.TestStores;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Moments creations stay under WeCom's 10 a minute per corp, also when two nodes create them at once. */
class MomentPacerTest {

  private static final Instant NOW = Instant.parse("2026-11-23T01:30:00Z");

  @ParameterizedTest
  @MethodSource("app.liuliang.store.TestStores#kinds")
  void noMinuteHoldsMoreThanTheConfiguredMomentsCreations(StoreKind kind) {
    try (Database db = TestStores.create(kind)) {
      MomentPacer pacer = new MomentPacer(new PaceSlots(db.jdbi()), 9);
      List<Instant> slots = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        slots.add(pacer.nextSlot(NOW));
      }
      assertThat(slots.get(0)).isEqualTo(NOW);
      assertUnderTenAMinute(slots);
      Instant later = NOW.plus(Duration.ofHours(1));
      assertThat(pacer.nextSlot(later)).as("an idle pacer hands out now").isEqualTo(later);
    }
  }

  @ParameterizedTest
  @MethodSource("app.liuliang.store.TestStores#kinds")
  void twoNodesPacingTogetherShareTheCorpsLimit(StoreKind kind) throws Exception {
    try (Database db = TestStores.create(kind)) {
      // Two nodes: each its own pacer object, one store.
      List<MomentPacer> nodes = List.of(new MomentPacer(new PaceSlots(db.jdbi()), 9),
          new MomentPacer(new PaceSlots(db.jdbi()), 9));
      ExecutorService threads = Executors.newFixedThreadPool(6);
      try {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Instant>> taken = new ArrayList<>();
        for (int i = 0; i < 36; i++) {
          MomentPacer pacer = nodes.get(i % 2);
          taken.add(threads.submit(() -> {
            go.await();
            return pacer.nextSlot(NOW);
          }));
        }
        go.countDown();
        List<Instant> slots = new ArrayList<>();
        for (Future<Instant> f : taken) {
          slots.add(f.get());
        }
        Collections.sort(slots);
        assertThat(slots).doesNotHaveDuplicates();
        assertThat(slots.get(0)).isEqualTo(NOW);
        assertUnderTenAMinute(slots);
      } finally {
        threads.shutdownNow();
      }
    }
  }

  private static void assertUnderTenAMinute(List<Instant> slots) {
    for (int i = 0; i + 9 < slots.size(); i++) {
      assertThat(slots.get(i + 9)).as("the 10th creation after #" + i).isAfterOrEqualTo(slots.get(i).plusSeconds(60));
    }
  }
}
