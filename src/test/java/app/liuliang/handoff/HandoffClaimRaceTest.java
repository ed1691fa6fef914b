package app.liuliang.handoff;

import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.store.Database;
import app.liuliang.store.StoreKind;
import app.liuliang.store.TestStores;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * 接手 tapped at once on two devices of one doctor, by a colleague's card and from the console (four nodes):
 * one claim wins, one claim is recorded, and the hand-off is held by the winner. The claim is the same
 * compare-and-set {@code Handoffs.onCardClick} and {@code Handoffs.claim} run in their transactions.
 */
class HandoffClaimRaceTest {

  private static final List<String> CLAIMERS = List.of("dr-wang", "dr-wang", "dr-li", "front-desk");

  @ParameterizedTest
  @MethodSource("app.liuliang.store.TestStores#kinds")
  void racingClaimsLeaveOneHolderAndOneRecordedClaim(StoreKind kind) throws Exception {
    try (Database db = TestStores.create(kind)) {
      HandoffRepository repository = new HandoffRepository(db.jdbi());
      ExecutorService racers = Executors.newFixedThreadPool(CLAIMERS.size());
      try {
        for (int patient = 0; patient < 20; patient++) {
          String ext = "wmClaimRace" + patient;
          HandoffRequest request = new HandoffRequest("claim-msg-" + patient, ext, "wkKF", List.of(), null, "bleeding",
              "bleeding", null);
          long id = repository.insert(request, "dr-wang", List.of("dr-wang", "dr-li"), null, 1, 1).getAsLong();
          CountDownLatch go = new CountDownLatch(1);
          List<Future<Boolean>> claims = new ArrayList<>();
          for (String claimer : CLAIMERS) {
            claims.add(racers.submit(() -> {
              go.await();
              return repository.jdbi().inTransaction(h -> {
                if (!repository.claim(h, id, claimer, null, 2)) {
                  return false;
                }
                repository.recordAction(h, id, "claim", claimer, "card", null, 2);
                return true;
              });
            }));
          }
          go.countDown();
          int won = 0;
          for (Future<Boolean> claim : claims) {
            won += claim.get() ? 1 : 0;
          }
          List<String> recorded = repository.jdbi().withHandle(h -> h.createQuery("SELECT actor FROM handoff_actions "
              + "WHERE handoff_id = :id AND action = 'claim'").bind("id", id).mapTo(String.class).list());
          HandoffRepository.Row row = repository.find(id).orElseThrow();
          assertThat(won).as(ext).isEqualTo(1);
          assertThat(recorded).hasSize(1);
          assertThat(row.state()).isEqualTo(HandoffRepository.CLAIMED);
          assertThat(row.doctor()).isEqualTo(recorded.get(0));
        }
      } finally {
        racers.shutdownNow();
      }
    }
  }
}
