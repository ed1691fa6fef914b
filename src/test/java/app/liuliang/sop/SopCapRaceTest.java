package app.liuliang.sop;

import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.store.StoreKind;
import app.liuliang.store.TestStores;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Four 1:1 items due at the same minute, fired at once (two nodes, or Quartz's threads): the per-patient
 * cap (one a day, the shipped default) still holds, each patient gets exactly one of them.
 */
class SopCapRaceTest {

  private static final int ITEMS = 4;
  private static final int PATIENTS = 40;

  @ParameterizedTest
  @MethodSource("app.liuliang.store.TestStores#kinds")
  void itemsFiringTogetherNeverTakeAPatientOverTheCap(StoreKind kind) throws Exception {
    try (SopFixture fx = new SopFixture(TestStores.create(kind))) {
      StringBuilder plan = new StringBuilder("week: 2026-W48\npersonal:\n");
      for (int i = 0; i < ITEMS; i++) {
        plan.append("  - {id: wed-").append(i).append(", day: wed, at: \"19:00\", audience: {tags: [需求-种植]}, text: 第")
            .append(i).append("条}\n");
      }
      fx.write("sop/2026-W48.yaml", plan.toString());
      fx.feature.reload();
      for (int p = 0; p < PATIENTS; p++) {
        fx.contact(String.format("wm-%02d", p), "患者" + p, "intent", p % 2 == 0 ? "assistant-lily" : "dr-chen", "需求-种植");
      }
      fx.clock.set(SopFixture.shanghai("2026-11-25T19:00"));

      ExecutorService quartzThreads = Executors.newFixedThreadPool(ITEMS);
      try {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> fired = new ArrayList<>();
        for (int i = 0; i < ITEMS; i++) {
          String id = "wed-" + i;
          fired.add(quartzThreads.submit(() -> {
            go.await();
            fx.engine().fire("2026-W48", id);
            return null;
          }));
        }
        go.countDown();
        for (Future<?> f : fired) {
          f.get();
        }
      } finally {
        quartzThreads.shutdownNow();
      }
      Map<String, Long> perPatient = fx.database.jdbi().withHandle(h -> {
        Map<String, Long> out = new java.util.TreeMap<>();
        h.createQuery("SELECT target, COUNT(*) FROM sop_deliveries WHERE status = 'queued' GROUP BY target")
            .map((rs, ctx) -> out.put(rs.getString(1), rs.getLong(2))).list();
        return out;
      });
      assertThat(perPatient).as("every patient reached").hasSize(PATIENTS);
      assertThat(perPatient.values()).as("one message each, the daily cap").containsOnly(1L);
    }
  }
}
