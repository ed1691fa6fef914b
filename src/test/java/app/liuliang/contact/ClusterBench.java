package app.liuliang.contact;

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
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * Benchmark, not part of the suite ({@code scripts/bench.sh cluster}): server processes (the jar) on SQLite,
 * on PostgreSQL with one node and with two nodes behind a round-robin, one fake WeCom answering in ~40 ms.
 * Per setup: ingress (new-patient callbacks offered at bench.ingress.rate for 5 s: acks/s and ack p99) and
 * 200 new patients/s for bench.seconds (callback → send_welcome_msg p50/p99, share inside 20 s). Then
 * failover: kill -9 of one of two nodes mid-load, and the time until the other resumed its claimed rows.
 * Prints numbers (also to target/bench-cluster.txt); asserts nothing.
 */
class ClusterBench {

  private static final int SECONDS = Integer.getInteger("bench.seconds", 15);
  private static final int RATE = Integer.getInteger("bench.rate", 200);
  private static final int INGRESS_RATE = Integer.getInteger("bench.ingress.rate", 1_000);

  @Test
  void ingressWelcomesAndFailoverOnEachStore() throws Exception {
    StringBuilder report = new StringBuilder(String.format("bench-cluster: %d cores, WeCom fake answers in 40 ms, "
        + "servers are separate processes, load from this JVM%n", Runtime.getRuntime().availableProcessors()));
    Path config = TestServer.copyConfigWithout("sop", "campaigns", "journeys.yaml");
    report.append(setup("sqlite, 1 node", config, null, 1));
    report.append(setup("postgresql, 1 node", config, TestStores.freshPostgres(), 1));
    report.append(setup("postgresql, 2 nodes", config, TestStores.freshPostgres(), 2));
    report.append(failover(config, TestStores.freshPostgres()));
    System.out.print(report);
    Files.writeString(Path.of("target/bench-cluster.txt"), report);
  }

  private static String setup(String name, Path config, StoreLocation store, int nodes) throws Exception {
    try (WeComFake wecom = new WeComFake(Duration.ofMillis(40))) {
      List<Process> processes = new ArrayList<>();
      List<String> urls = new ArrayList<>();
      Path firstData = null;
      try {
        for (int n = 0; n < nodes; n++) {
          Path data = Files.createTempDirectory("bench-node");
          firstData = firstData == null ? data : firstData;
          urls.add(startNode(wecom, config, data, store, "bench-" + n, processes));
        }
        Jdbi db = store == null ? Jdbi.create("jdbc:sqlite:" + firstData.resolve("liuliang.db"))
            : Jdbi.create(store.url(), store.user(), store.password());
        NewPatientLedger ledger = new NewPatientLedger(wecom, Clock.systemUTC());
        load(ledger, wecom, db, urls, "warm", 50, 3);
        String ingress = load(ledger, wecom, db, urls, "ingress", INGRESS_RATE, 5);
        String welcome = load(ledger, wecom, db, urls, "welcome", RATE, SECONDS);
        return String.format("  %-20s ingress: %s%n  %-20s welcome: %s%n", name, ingress, "", welcome);
      } finally {
        for (Process p : processes) {
          p.destroy();
          p.waitFor();
        }
      }
    }
  }

  private static String startNode(WeComFake wecom, Path config, Path data, StoreLocation store, String nodeId,
      List<Process> processes) throws Exception {
    int port = WelcomeCrashIT.freePort();
    ProcessBuilder server = WelcomeCrashIT.serverProcess(wecom, data, config, port);
    if (store != null) {
      server.environment().putAll(TestStores.environment(store));
    }
    server.environment().put(Settings.NODE_ID, nodeId);
    String url = "http://127.0.0.1:" + port;
    processes.add(WelcomeCrashIT.start(server, url));
    return url;
  }

  /** {@code rate} new patients a second for {@code seconds}, round-robin over the nodes; waits until settled. */
  private static String load(NewPatientLedger ledger, WeComFake wecom, Jdbi db, List<String> urls, String prefix,
      int rate, int seconds) throws Exception {
    int count = rate * seconds;
    Map<String, Long> posted = new ConcurrentHashMap<>();
    List<Long> acks = Collections.synchronizedList(new ArrayList<>());
    ExecutorService posters = Executors.newFixedThreadPool(32);
    long start = System.nanoTime();
    long gap = 1_000_000_000L / rate;
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      long wait = start + i * gap - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      NewPatientLedger.Patient patient = ledger.add("wmCb" + prefix + "x" + i);
      ids.add(patient.externalUserId());
      String url = urls.get(i % urls.size());
      posters.execute(() -> {
        long sent = System.nanoTime();
        posted.put(patient.externalUserId(), sent);
        ledger.post(url, patient);
        acks.add(System.nanoTime() - sent);
      });
    }
    posters.shutdown();
    posters.awaitTermination(2, TimeUnit.MINUTES);
    double elapsed = (System.nanoTime() - start) / 1e9;
    WelcomeOutageIT.awaitUntil(Duration.ofMinutes(5), ledger.settled(db));
    List<Long> latencies = new ArrayList<>();
    for (String id : ids) {
      wecom.welcomedAtNanos(id).ifPresent(at -> latencies.add(at - posted.get(id)));
    }
    return String.format("%d offered/s, %.0f acked/s, ack p50 %d ms p99 %d ms; %.1f %% welcomed, "
            + "callback -> send_welcome_msg p50 %d ms p99 %d ms", rate, acks.size() / elapsed,
        WelcomeBench.ms(acks, 50), WelcomeBench.ms(acks, 99), 100.0 * latencies.size() / count,
        WelcomeBench.ms(latencies, 50), WelcomeBench.ms(latencies, 99));
  }

  private static String failover(Path config, StoreLocation store) throws Exception {
    try (WeComFake wecom = new WeComFake(Duration.ofMillis(40))) {
      List<Process> processes = new ArrayList<>();
      try {
        List<String> urls = new ArrayList<>();
        for (int n = 0; n < 2; n++) {
          urls.add(startNode(wecom, config, Files.createTempDirectory("bench-node"), store, n == 0 ? "fo-a" : "fo-b",
              processes));
        }
        Jdbi db = Jdbi.create(store.url(), store.user(), store.password());
        NewPatientLedger ledger = new NewPatientLedger(wecom, Clock.systemUTC());
        long[] killed = new long[1];
        ledger.burst(i -> urls.get(i % 2), "wmFo", RATE * 4, RATE, i -> {
          if (i == RATE * 2) {
            processes.get(0).destroyForcibly();
            killed[0] = System.nanoTime();
          }
        });
        long held = db.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM inbox WHERE status = 'pending' AND owner = 'fo-a'")
            .mapTo(Long.class).one());
        WelcomeOutageIT.awaitUntil(Duration.ofMinutes(1), () -> db.withHandle(h -> h.createQuery(
            "SELECT (SELECT COUNT(*) FROM inbox WHERE status = 'pending' AND owner = 'fo-a') "
                + "+ (SELECT COUNT(*) FROM outbox WHERE status = 'sending' AND owner = 'fo-a')").mapTo(Long.class).one()) == 0);
        long resumedMs = (System.nanoTime() - killed[0]) / 1_000_000;
        return String.format("  failover: kill -9 of node fo-a at %d patients/s; its claimed rows resumed by fo-b "
            + "%d ms after the kill (%d inbox rows still held when the burst ended; lease %d s)%n", RATE, resumedMs,
            held, app.liuliang.store.Node.DEFAULT_LEASE.toSeconds());
      } finally {
        for (Process p : processes) {
          p.destroy();
          p.waitFor();
        }
      }
    }
  }
}
