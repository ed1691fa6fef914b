package app.liuliang.store;

import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.testing.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Live nodes are counted from their heartbeats: a clean stop leaves at once, a dead node ages out. */
class NodeRegistryTest {

  @ParameterizedTest
  @MethodSource("app.liuliang.store.TestStores#kinds")
  void theLiveCountFollowsNodesStartingStoppingAndDying(StoreKind kind) {
    MutableClock clock = MutableClock.atSystemTime();
    try (Database db = TestStores.create(kind)) {
      List<Integer> heardByA = new CopyOnWriteArrayList<>();
      try (NodeRegistry a = new NodeRegistry(db.jdbi(), new Node("node-a"), clock, heardByA::add)) {
        assertThat(heardByA).containsExactly(1);
        NodeRegistry b = new NodeRegistry(db.jdbi(), new Node("node-b"), clock, n -> { });
        a.beat();
        assertThat(heardByA).containsExactly(1, 2);
        b.close();
        a.beat();
        assertThat(heardByA).as("a clean stop leaves at once").containsExactly(1, 2, 1);

        // c dies without signing off: its heartbeat ages out after two leases.
        new NodeRegistry(db.jdbi(), new Node("node-c"), clock, n -> { }).beat();
        a.beat();
        assertThat(a.live()).isEqualTo(2);
        clock.advance(Duration.ofSeconds(9));
        a.beat();
        assertThat(a.live()).as("c seen 9 s ago, within two 5 s leases").isEqualTo(2);
        clock.advance(Duration.ofSeconds(2));
        a.beat();
        assertThat(a.live()).isEqualTo(1);
        assertThat(heardByA).containsExactly(1, 2, 1, 2, 1);
      }
    }
  }
}
