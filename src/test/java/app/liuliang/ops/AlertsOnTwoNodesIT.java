package app.liuliang.ops;

import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.app.ClusterNode;
import app.liuliang.store.Database;
import app.liuliang.store.StoreKind;
import app.liuliang.store.TestStores;
import app.liuliang.testing.MutableClock;
import app.liuliang.testing.TestServer;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Two nodes checking the alerts on one store: a backlog both see is told to the admins once an interval and its
 * end once; on PostgreSQL a condition only one node sees (its own counters) is that node's, and the healthy node
 * neither clears it nor repeats it.
 */
class AlertsOnTwoNodesIT {

  @ParameterizedTest
  @MethodSource("app.liuliang.store.TestStores#kinds")
  void eachConditionIsToldOnceAcrossTheNodes(StoreKind kind) throws Exception {
    MutableClock clock = MutableClock.atSystemTime();
    Path config = TestServer.copyConfig(Path.of("config"));
    WireMockServer wecom = TestServer.startWeCom();
    try (Database db = TestStores.create(kind);
        ClusterNode a = ClusterNode.of("node-a", db, "http://127.0.0.1:" + wecom.port(), config, clock);
        ClusterNode b = ClusterNode.of("node-b", db, "http://127.0.0.1:" + wecom.port(), config, clock)) {
      Alerts onA = a.feature(OpsFeature.class).alerts();
      Alerts onB = b.feature(OpsFeature.class).alerts();
      Jdbi jdbi = db.jdbi();
      long now = clock.millis();
      jdbi.useHandle(h -> h.execute("INSERT INTO inbox (event_key, kind, payload, received_at, status, attempts, "
          + "next_attempt_at) VALUES ('stuck', 'test', '<xml/>', ?, 'pending', 1, ?)", now - Duration.ofMinutes(10).toMillis(),
          now + 86_400_000));
      boolean shared = kind == StoreKind.POSTGRESQL;
      if (shared) {
        a.foundation().meters().counter("liuliang.inbox.processed", "kind", "change_external_contact", "outcome", "dead")
            .increment();
      }

      // Both nodes check every minute for half an hour: within one interval each condition is told once.
      for (int minute = 0; minute < 30; minute++) {
        onA.check();
        onB.check();
        clock.advance(Duration.ofMinutes(1));
      }
      assertThat(told(jdbi, "inbox_backlog")).hasSize(1);
      assertThat(cleared(jdbi)).isEmpty();
      if (shared) {
        assertThat(told(jdbi, "dead_letters@node-a")).hasSize(1);
        assertThat(told(jdbi, "dead_letters@node-b")).as("node-b saw no dead letter").isEmpty();
        assertThat(texts(jdbi)).anyMatch(t -> t.contains("节点 node-a：回调处理失败进入死信"));
      }

      // The backlog lasts past the interval: told again, once; then mended: its end told once.
      for (int minute = 0; minute < 32; minute++) {
        onB.check();
        onA.check();
        clock.advance(Duration.ofMinutes(1));
      }
      assertThat(told(jdbi, "inbox_backlog")).hasSize(2);
      jdbi.useHandle(h -> h.execute("UPDATE inbox SET status = 'done' WHERE event_key = 'stuck'"));
      for (int minute = 0; minute < 5; minute++) {
        onA.check();
        onB.check();
        clock.advance(Duration.ofMinutes(1));
      }
      assertThat(cleared(jdbi)).containsOnlyOnce("inbox_backlog");

      if (shared) {
        // node-a's dead letter stopped rising an interval ago: node-a clears it, once. node-b never did.
        assertThat(cleared(jdbi)).containsOnlyOnce("dead_letters@node-a");
        // A condition of a node that stopped checking goes quietly after a few missed checks.
        b.foundation().meters().counter("liuliang.inbox.processed", "kind", "x", "outcome", "dead").increment();
        onB.check();
        assertThat(told(jdbi, "dead_letters@node-b")).hasSize(1);
        for (int minute = 0; minute < Alerts.STALE_CHECKS + 1; minute++) {
          clock.advance(Duration.ofMinutes(1));
          onA.check();
        }
        assertThat(count(jdbi, "SELECT COUNT(*) FROM alert_state WHERE condition = 'dead_letters@node-b' "
            + "AND firing_since IS NULL")).isEqualTo(1);
        assertThat(cleared(jdbi)).doesNotContain("dead_letters@node-b");
      }
    } finally {
      wecom.stop();
    }
  }

  /** The firing notices of one condition (outbox keys alert/<condition>/<millis>). */
  private static List<String> told(Jdbi jdbi, String condition) {
    return jdbi.withHandle(h -> h.createQuery("SELECT idem_key FROM outbox WHERE purpose = 'ops.alert' "
        + "AND idem_key LIKE :k AND idem_key NOT LIKE '%/cleared/%'").bind("k", "alert/" + condition + "/%")
        .mapTo(String.class).list()).stream().filter(k -> k.lastIndexOf('/') == ("alert/" + condition).length()).toList();
  }

  private static List<String> cleared(Jdbi jdbi) {
    return jdbi.withHandle(h -> h.createQuery("SELECT idem_key FROM outbox WHERE purpose = 'ops.alert' "
        + "AND idem_key LIKE '%/cleared/%'").mapTo(String.class).list()).stream()
        .map(k -> k.substring("alert/".length(), k.indexOf("/cleared/"))).toList();
  }

  private static List<String> texts(Jdbi jdbi) {
    return jdbi.withHandle(h -> h.createQuery("SELECT body FROM outbox WHERE purpose = 'ops.alert'").mapTo(String.class)
        .list());
  }

  private static long count(Jdbi jdbi, String sql) {
    return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
  }
}
