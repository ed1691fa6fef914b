package app.liuliang.handoff;

import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.store.Database;
import app.liuliang.store.StoreKind;
import app.liuliang.store.TestStores;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Two messages of one patient handled at once (two nodes, or two threads) open one hand-off, never two. */
class OneActiveHandoffTest {

  @ParameterizedTest
  @MethodSource("app.liuliang.store.TestStores#kinds")
  void racingOpensLeaveOneActiveHandoffPerPatient(StoreKind kind) throws Exception {
    try (Database db = TestStores.create(kind)) {
      HandoffRepository repository = new HandoffRepository(db.jdbi());
      ExecutorService racers = Executors.newFixedThreadPool(8);
      try {
        for (int patient = 0; patient < 20; patient++) {
          String ext = "wmRace" + patient;
          CountDownLatch go = new CountDownLatch(1);
          List<Future<OptionalLong>> opens = new java.util.ArrayList<>();
          for (int message = 0; message < 4; message++) {
            HandoffRequest request = new HandoffRequest("msg-" + patient + "-" + message, ext, "wkKF", List.of(),
                null, "bleeding", "bleeding", null);
            opens.add(racers.submit(() -> {
              go.await();
              return repository.insert(request, "dr-wang", List.of("dr-wang"), null, 1, 1);
            }));
          }
          go.countDown();
          long opened = 0;
          for (Future<OptionalLong> open : opens) {
            opened += open.get().isPresent() ? 1 : 0;
          }
          assertThat(opened).as(ext).isEqualTo(1);
          long active = db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM handoffs WHERE external_userid = :e "
              + "AND state IN ('open', 'notified', 'claimed', 'escalated')").bind("e", ext).mapTo(Long.class).one());
          assertThat(active).isEqualTo(1);
        }
        // The same message again (a retried event) finds its own hand-off.
        HandoffRequest again = new HandoffRequest("msg-0-0", "wmRace0", "wkKF", List.of(), null, "bleeding", "bleeding",
            null);
        OptionalLong first = db.jdbi().withHandle(h -> h.createQuery("SELECT id FROM handoffs WHERE external_userid = 'wmRace0'")
            .mapTo(Long.class).findOne().map(OptionalLong::of).orElseThrow());
        if (db.jdbi().withHandle(h -> h.createQuery("SELECT source_msgid FROM handoffs WHERE external_userid = 'wmRace0'")
            .mapTo(String.class).one()).equals("msg-0-0")) {
          assertThat(repository.insert(again, "dr-wang", List.of("dr-wang"), null, 2, 2)).isEqualTo(first);
        }
      } finally {
        racers.shutdownNow();
      }
    }
  }
}
