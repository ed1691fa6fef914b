package app.liuliang.message;

import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.app.ClusterNode;
import app.liuliang.handoff.HandoffRequest;
import app.liuliang.handoff.Handoffs;
import app.liuliang.store.Database;
import app.liuliang.store.StoreKind;
import app.liuliang.store.TestStores;
import app.liuliang.testing.MutableClock;
import app.liuliang.testing.TestServer;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Two nodes, each with its hand-off check: a hand-off queued overnight is told to the doctor once at opening, and
 * escalated once when nobody claims it, however the two nodes' checks interleave.
 */
class HandoffsOnTwoNodesIT {

  /** Wednesday 22:00 in Shanghai: 王医生 works 09:00-18:00. */
  private static final Instant WEDNESDAY_NIGHT = Instant.parse("2026-11-25T14:00:00Z");

  @ParameterizedTest
  @MethodSource("app.liuliang.store.TestStores#kinds")
  void aDoctorIsRemindedOnceAndEscalatedOnceAcrossTwoNodes(StoreKind kind) throws Exception {
    MutableClock clock = new MutableClock(WEDNESDAY_NIGHT);
    Path config = TestServer.copyConfig(Path.of("config"));
    WireMockServer wecom = TestServer.startWeCom();
    ExecutorService ticks = Executors.newFixedThreadPool(2);
    try (Database db = TestStores.create(kind);
        ClusterNode a = ClusterNode.of("node-a", db, "http://127.0.0.1:" + wecom.port(), config, clock);
        ClusterNode b = ClusterNode.of("node-b", db, "http://127.0.0.1:" + wecom.port(), config, clock)) {
      Handoffs onA = a.feature(MessageFeature.class).handoffs();
      Handoffs onB = b.feature(MessageFeature.class).handoffs();
      onA.start("node-a");
      onB.start("node-b");
      assertThat(onA.open(new HandoffRequest("msg-night", "wmNight", "wkKF", List.of("dr-wang"), null, "pain", "pain",
          new HandoffRequest.PatientCard("", "stranger", List.of(), List.of())))).isEqualTo(Handoffs.Outcome.QUEUED);

      rounds(ticks, onA, onB, clock, 4);
      assertThat(cards(db)).as("nobody is told overnight").isEmpty();

      clock.set(Instant.parse("2026-11-26T01:00:00Z"));  // Thursday 09:00
      rounds(ticks, onA, onB, clock, 6);
      assertThat(cards(db)).as("dr-wang is told once at opening").containsExactly("dr-wang");

      clock.advance(Duration.ofMinutes(11));  // nobody claimed it within claim_timeout (10 minutes)
      rounds(ticks, onA, onB, clock, 6);
      List<String> told = cards(db);
      assertThat(told).as("escalated once").hasSize(2);
      assertThat(told.get(0)).isEqualTo("dr-wang");
      assertThat(count(db, "SELECT COUNT(*) FROM outbox WHERE purpose = 'handoff.card'")).isEqualTo(2);
    } finally {
      ticks.shutdownNow();
      wecom.stop();
    }
  }

  /** {@code n} checks of both nodes at the same moments, half a minute (check_every) apart. */
  private static void rounds(ExecutorService ticks, Handoffs a, Handoffs b, MutableClock clock, int n) throws Exception {
    for (int i = 0; i < n; i++) {
      ClusterNode.together(ticks, a::runScheduledCheck, b::runScheduledCheck);
      clock.advance(Duration.ofSeconds(30));
    }
  }

  /** To whom the hand-off cards went, in order. */
  private static List<String> cards(Database db) {
    return db.jdbi().withHandle(h -> h.createQuery("SELECT body FROM outbox WHERE purpose = 'handoff.card' ORDER BY id")
        .mapTo(String.class).list()).stream()
        .map(body -> body.replaceAll("(?s).*\"touser\"\\s*:\\s*\"([^\"]+)\".*", "$1")).toList();
  }

  private static long count(Database db, String sql) {
    return db.jdbi().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
  }
}
