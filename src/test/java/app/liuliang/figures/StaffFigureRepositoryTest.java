package app.liuliang.figures;

import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.store.Database;
import app.liuliang.store.StoreKind;
import app.liuliang.store.TestStores;
import app.liuliang.wecom.WeComClient.StaffBehavior;
import java.time.LocalDate;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The per-staff lease and progress, and the day upsert, on both stores. */
class StaffFigureRepositoryTest {

  private static final LocalDate YESTERDAY = LocalDate.of(2026, 12, 2);
  private static final long LEASE = 60_000;

  @ParameterizedTest
  @MethodSource("app.liuliang.store.TestStores#kinds")
  void oneNodeHoldsAStaffMemberAtATimeAndOnlyTheHolderMovesTheProgress(StoreKind kind) {
    try (Database db = TestStores.create(kind)) {
      StaffFigureRepository repository = new StaffFigureRepository(db.jdbi());
      assertThat(repository.claim("dr-wang", "node-a", YESTERDAY, 1_000, LEASE)).isTrue();
      assertThat(repository.claim("dr-wang", "node-b", YESTERDAY, 2_000, LEASE)).as("node-a holds it").isFalse();
      assertThat(repository.claim("dr-chen", "node-b", YESTERDAY, 2_000, LEASE)).as("another staff member").isTrue();

      assertThat(repository.advance("dr-wang", "node-a", YESTERDAY.minusDays(10), 3_000, LEASE)).isTrue();
      assertThat(repository.advance("dr-wang", "node-b", YESTERDAY, 3_000, LEASE)).as("not the holder").isFalse();
      assertThat(repository.fetchedThrough("dr-wang")).contains(YESTERDAY.minusDays(10));

      assertThat(repository.claim("dr-wang", "node-b", YESTERDAY, 1_000 + LEASE + 1, LEASE))
          .as("each window renews the lease").isFalse();
      // node-a stalls past its lease: node-b takes over; node-a's late writes change nothing.
      assertThat(repository.claim("dr-wang", "node-b", YESTERDAY, 3_000 + LEASE + 1, LEASE)).isTrue();
      assertThat(repository.advance("dr-wang", "node-a", YESTERDAY, 70_000, LEASE)).as("node-a lost it").isFalse();
      repository.release("dr-wang", "node-a", "企业微信错误码 -1", 70_000);
      assertThat(repository.fetchedThrough("dr-wang")).contains(YESTERDAY.minusDays(10));
      assertThat(repository.errors()).doesNotContainKey("dr-wang");
      assertThat(repository.claim("dr-wang", "node-a", YESTERDAY, 70_000, LEASE)).as("node-b holds it now").isFalse();

      assertThat(repository.advance("dr-wang", "node-b", YESTERDAY, 71_000, LEASE)).isTrue();
      assertThat(repository.advance("dr-wang", "node-b", YESTERDAY.minusDays(3), 71_000, LEASE))
          .as("a re-asked window: still ours, progress kept").isTrue();
      repository.release("dr-wang", "node-b", null, 71_000);
      assertThat(repository.fetchedThrough("dr-wang")).contains(YESTERDAY);
      assertThat(repository.claim("dr-wang", "node-a", YESTERDAY, 72_000, LEASE)).as("done for today").isFalse();
      assertThat(repository.claim("dr-wang", "node-a", YESTERDAY.plusDays(1), 72_000, LEASE)).as("tomorrow").isTrue();
      assertThat(repository.fetchedThrough("nobody")).isEqualTo(Optional.empty());
    }
  }

  @ParameterizedTest
  @MethodSource("app.liuliang.store.TestStores#kinds")
  void fetchingTheSameDayTwiceLeavesOneRowWithTheNewerNumbers(StoreKind kind) {
    try (Database db = TestStores.create(kind)) {
      StaffFigureRepository repository = new StaffFigureRepository(db.jdbi());
      repository.upsert("dr-wang", YESTERDAY, new StaffBehavior(0, 1, 2, 3, 4, 50.0, 7, 1), 1_000);
      repository.upsert("dr-wang", YESTERDAY, new StaffBehavior(0, 2, 5, 8, 20, null, null, 0), 2_000);

      assertThat(repository.days(YESTERDAY, YESTERDAY))
          .containsExactly(new StaffFigureRepository.Day("dr-wang", YESTERDAY, 2, 5, 8, 20, null, null, 0));
    }
  }
}
