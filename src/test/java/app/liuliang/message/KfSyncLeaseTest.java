package app.liuliang.message;

import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.store.Database;
import app.liuliang.store.StoreKind;
import app.liuliang.store.TestStores;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** One node syncs a kf account at a time, and the cursor only moves forward from the one a page was asked with. */
class KfSyncLeaseTest {

  private static boolean save(Database db, MessageRepository messages, String kf, String node, String from, String to,
      long now) {
    return db.jdbi().inTransaction(h -> messages.saveCursor(h, kf, node, from, to, now));
  }

  @ParameterizedTest
  @MethodSource("app.liuliang.store.TestStores#kinds")
  void oneNodeSyncsAKfAccountAtATimeAndTheCursorOnlyMovesForward(StoreKind kind) {
    try (Database db = TestStores.create(kind)) {
      MessageRepository messages = new MessageRepository(db.jdbi());
      assertThat(messages.holdSync("wkKF", "node-a", 1_000, 61_000)).isTrue();
      assertThat(messages.holdSync("wkKF", "node-b", 2_000, 62_000)).as("node-a holds it").isFalse();
      assertThat(messages.holdSync("wkKF", "node-a", 3_000, 63_000)).as("the holder renews").isTrue();

      assertThat(save(db, messages, "wkKF", "node-a", "", "c1", 4_000)).isTrue();
      assertThat(save(db, messages, "wkKF", "node-a", "", "c0", 4_000))
          .as("a page asked with an older cursor never moves it back").isFalse();
      assertThat(save(db, messages, "wkKF", "node-b", "c1", "c2", 4_000))
          .as("only the holder moves it").isFalse();
      assertThat(messages.cursor("wkKF")).contains("c1");

      assertThat(messages.holdSync("wkKF", "node-b", 64_000, 124_000)).as("node-a's lease ran out").isTrue();
      messages.releaseSync("wkKF", "node-a");  // a late release by the old holder changes nothing
      assertThat(messages.holdSync("wkKF", "node-a", 65_000, 125_000)).isFalse();
      messages.releaseSync("wkKF", "node-b");
      assertThat(messages.holdSync("wkKF", "node-a", 66_000, 126_000)).isTrue();
    }
  }
}
