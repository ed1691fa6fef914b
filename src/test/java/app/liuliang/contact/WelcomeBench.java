package app.liuliang.contact;

import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.testing.MutableClock;
import app.liuliang.testing.TestServer;
import app.liuliang.testing.WeComFake;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
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
 * Benchmark, not part of the suite (run it with {@code scripts/bench.sh welcome}): new patients at
 * 50, 100 and 150 a second against a real server, with a fake WeCom that answers every call after
 * about 40 ms (±25 %) and lets a welcome code work only inside its 20 s. Per rate it prints the share
 * welcomed inside the window and callback → send_welcome_msg latency; the numbers are printed, never
 * asserted. Options (system properties, see scripts/bench-welcome.sh): bench.rates, bench.seconds,
 * bench.latency.ms.
 */
class WelcomeBench {

  private static final List<Integer> RATES = Arrays.stream(System.getProperty("bench.rates", "50,100,150").split(","))
      .map(String::trim).map(Integer::valueOf).toList();
  private static final int SECONDS = Integer.getInteger("bench.seconds", 20);
  private static final Duration LATENCY = Duration.ofMillis(Long.getLong("bench.latency.ms", 40));

  @Test
  void newPatientsAreWelcomedInsideTheWindowAgainstARealisticWeCom() throws Exception {
    StringBuilder report = new StringBuilder(String.format(
        "bench-welcome: WeCom answers in %d ms (±25 %%), %d s per rate, %d cores (server, WeCom fake and load in one JVM)%n",
        LATENCY.toMillis(), SECONDS, Runtime.getRuntime().availableProcessors()));
    try (WeComFake wecom = new WeComFake(LATENCY);
        TestServer server = TestServer.builder().clock(MutableClock.ticking()).wecom(wecom)
            .without("sop", "campaigns", "journeys.yaml").start()) {
      NewPatientLedger ledger = new NewPatientLedger(wecom, server.clock());
      Jdbi store = server.wiring().foundation().database().jdbi();
      run(server, ledger, wecom, store, "warm", 30, 5);
      for (int rate : RATES) {
        report.append(run(server, ledger, wecom, store, "r" + rate, rate, SECONDS));
      }
    }
    System.out.print(report);
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target/bench-welcome.txt"), report);
  }

  private static String run(TestServer server, NewPatientLedger ledger, WeComFake wecom, Jdbi store, String prefix,
      int rate, int seconds) throws Exception {
    int count = rate * seconds;
    Map<String, Long> posted = new ConcurrentHashMap<>();
    List<Long> acks = Collections.synchronizedList(new ArrayList<>());
    ExecutorService posters = Executors.newFixedThreadPool(16);
    long start = System.nanoTime();
    long gap = 1_000_000_000L / rate;
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      long wait = start + i * gap - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      NewPatientLedger.Patient patient = ledger.add("wmBench" + prefix + "x" + i);
      ids.add(patient.externalUserId());
      posters.execute(() -> {
        long sent = System.nanoTime();
        posted.put(patient.externalUserId(), sent);
        ledger.post(server.baseUrl(), patient);
        acks.add(System.nanoTime() - sent);
      });
    }
    posters.shutdown();
    posters.awaitTermination(1, TimeUnit.MINUTES);
    double offered = count / ((System.nanoTime() - start) / 1e9);
    WelcomeOutageIT.awaitUntil(Duration.ofMinutes(3), ledger.settled(store));

    List<Long> latencies = new ArrayList<>();
    int welcomed = 0;
    int fellBack = 0;
    for (String id : ids) {
      if (wecom.welcomedAtNanos(id).isPresent()) {
        welcomed++;
        latencies.add(wecom.welcomedAtNanos(id).get() - posted.get(id));
      }
      if (wecom.broadcastsTo(id) > 0) {
        fellBack++;
      }
    }
    NewPatientLedger.Verdict verdict = ledger.judge(store);
    assertThat(verdict.both()).as("never both").isEmpty();
    double share = 100.0 * welcomed / count;
    return String.format("  %3d patients/s (%.0f offered), %d patients: %.1f %% welcomed inside the 20 s window%s, "
            + "%d fallbacks; callback -> send_welcome_msg p50 %d ms, p99 %d ms, max %d ms; ack p99 %d ms%n",
        rate, offered, count, share, share >= 99 ? " (held)" : " (NOT held)", fellBack, ms(latencies, 50),
        ms(latencies, 99), ms(latencies, 100), ms(acks, 50 + 49));
  }

  static long ms(List<Long> nanos, int percentile) {
    if (nanos.isEmpty()) {
      return -1;
    }
    List<Long> sorted = new ArrayList<>(nanos);
    Collections.sort(sorted);
    int index = Math.min(sorted.size() - 1, (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1);
    return sorted.get(Math.max(index, 0)) / 1_000_000;
  }
}
