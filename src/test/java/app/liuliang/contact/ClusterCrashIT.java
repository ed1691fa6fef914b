package app.liuliang.contact;

import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.app.Settings;
import app.liuliang.store.StoreLocation;
import app.liuliang.store.TestStores;
import app.liuliang.testing.TestServer;
import app.liuliang.testing.WeComFake;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * Two server processes on one PostgreSQL behind a round-robin "load balancer": 2,000 new patients posted
 * alternately to both, node A killed with {@code kill -9} mid-burst. The callbacks A never acknowledged are
 * re-posted to B, and 200 it did acknowledge too, as WeCom's retries would. B resumes A's claimed rows once
 * their leases run out. Then no acknowledged patient is lost, none is welcomed twice, and the inbox and the
 * outbox are drained. Prints how long B took to resume A's rows.
 */
class ClusterCrashIT {

  private static final int PATIENTS = 2_000;
  private static final int PER_SECOND = 200;
  private static final int KILL_AT = 1_000;
  private static final int ACKED_REPOSTS = 200;

  @Test
  void aNodeKilledMidBurstLosesNoAcknowledgedPatientAndNothingIsSentTwice() throws Exception {
    TestStores.assumePostgres();
    Path jar = Path.of("target/liuliang.jar");
    assertThat(jar).as("built by mvn package, before the integration tests").exists();
    StoreLocation store = TestStores.freshPostgres();
    Path config = TestServer.copyConfigWithout("sop", "campaigns", "journeys.yaml");
    try (WeComFake wecom = new WeComFake(Duration.ofMillis(40))) {
      String[] urls = new String[2];
      Process[] nodes = new Process[2];
      for (int n = 0; n < 2; n++) {
        int port = WelcomeCrashIT.freePort();
        urls[n] = "http://127.0.0.1:" + port;
        ProcessBuilder server = WelcomeCrashIT.serverProcess(wecom, Files.createTempDirectory("liuliang-node"), config,
            port);
        server.environment().putAll(TestStores.environment(store));
        server.environment().put(Settings.NODE_ID, n == 0 ? "node-a" : "node-b");
        nodes[n] = WelcomeCrashIT.start(server, urls[n]);
      }
      Jdbi db = Jdbi.create(store.url(), store.user(), store.password());
      NewPatientLedger ledger = new NewPatientLedger(wecom, Clock.systemUTC());
      long[] killedAt = new long[1];
      try {
        ledger.burst(i -> urls[i % 2], "wmCluster", PATIENTS, PER_SECOND, i -> {
          if (i == KILL_AT) {
            nodes[0].destroyForcibly();  // SIGKILL: no shutdown hook, no release of its claims
            killedAt[0] = System.nanoTime();
          }
        });
        nodes[0].waitFor();
        long resumed = awaitNoLiveClaims(db, "node-a");
        System.out.printf("cluster failover: node-a's claimed rows resumed by node-b %d ms after kill -9%n",
            (resumed - killedAt[0]) / 1_000_000);

        List<NewPatientLedger.Patient> all = ledger.patients();
        List<NewPatientLedger.Patient> unacked = new ArrayList<>();
        List<NewPatientLedger.Patient> ackedSample = new ArrayList<>();
        for (NewPatientLedger.Patient patient : all) {
          if (!ledger.wasAcked(patient)) {
            unacked.add(patient);
          } else if (ackedSample.size() < ACKED_REPOSTS) {
            ackedSample.add(patient);  // acknowledged (half of them by node A before it died): a WeCom retry
          }
        }
        unacked.forEach(p -> ledger.post(urls[1], p));
        ackedSample.forEach(p -> ledger.post(urls[1], p));
        WelcomeOutageIT.awaitUntil(Duration.ofMinutes(3), () -> ledger.settled(db).getAsBoolean()
            && db.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM inbox WHERE status = 'pending'")
                .mapTo(Long.class).one()) == 0);

        NewPatientLedger.Verdict verdict = ledger.judge(db);
        System.out.println("cluster crash: " + ledger.summary() + "; node-a killed after " + KILL_AT + " posted, "
            + unacked.size() + " unacknowledged and " + ackedSample.size() + " acknowledged re-posted to node-b");
        assertThat(ledger.acked()).isEqualTo(PATIENTS);
        assertThat(verdict.clean()).as(verdict.toString()).isTrue();
        long undrained = db.withHandle(h -> h.createQuery(
            "SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending')").mapTo(Long.class).one());
        assertThat(undrained).isZero();
        String ready = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
            java.net.URI.create(urls[1] + "/ready")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        assertThat(ready).contains("\"node\":\"node-b\"").contains("\"store\":\"postgresql\"")
            .contains("\"quartz\":{\"store\":\"clustered\"").contains("\"node-b\"");
      } finally {
        for (Process node : nodes) {
          node.destroy();
          node.waitFor();
        }
      }
    }
  }

  /** When no pending inbox row and no sending outbox row is still held by {@code node} (System.nanoTime()). */
  private static long awaitNoLiveClaims(Jdbi db, String node) throws InterruptedException {
    WelcomeOutageIT.awaitUntil(Duration.ofMinutes(1), () -> db.withHandle(h -> h.createQuery(
            "SELECT (SELECT COUNT(*) FROM inbox WHERE status = 'pending' AND owner = :n) "
                + "+ (SELECT COUNT(*) FROM outbox WHERE status = 'sending' AND owner = :n)")
        .bind("n", node).mapTo(Long.class).one()) == 0);
    return System.nanoTime();
  }
}
