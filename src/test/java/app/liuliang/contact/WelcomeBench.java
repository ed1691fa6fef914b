package app.liuliang.contact;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.sandbox.CallbackSimulator;
import app.liuliang.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Benchmark, not part of the suite (run it with {@code scripts/bench-welcome.sh}): 500 new patients
 * in 10 s against a real server with WireMock as WeCom; prints callback → send_welcome_msg latency.
 * It checks that every patient was welcomed exactly once; the numbers are printed, never asserted.
 */
class WelcomeBench {

  private static final int PATIENTS = Integer.getInteger("bench.patients", 500);
  private static final Duration SPREAD = Duration.ofSeconds(Long.getLong("bench.seconds", 10));

  @Test
  void burstOfNewPatientsIsWelcomedInsideTheWindow() throws Exception {
    try (TestServer server = TestServer.builder().start()) {
      PatientFixture.stubTags(server.wecom());
      server.wecom().stubFor(get(urlPathEqualTo("/cgi-bin/externalcontact/get")).atPriority(2)
          .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(
              "{\"errcode\":0,\"errmsg\":\"ok\",\"external_contact\":{\"external_userid\":\"{{request.query.external_userid}}\","
                  + "\"name\":\"患者{{request.query.external_userid}}\",\"type\":1,\"gender\":2},\"follow_user\":[{\"userid\":"
                  + "\"assistant-lily\",\"remark\":\"\",\"createtime\":1700000000,\"add_way\":1,\"state\":\"meituan\",\"tags\":[]}]}")
              .withTransformers("response-template")));
      Map<String, Long> posted = new ConcurrentHashMap<>();
      Map<String, Long> welcomed = new ConcurrentHashMap<>();
      server.wecom().addMockServiceRequestListener((request, response) -> {
        if (request.getUrl().startsWith(PatientFixture.WELCOME)) {
          String body = request.getBodyAsString();
          int at = body.indexOf("BENCH-");
          welcomed.putIfAbsent(body.substring(at, body.indexOf('"', at)), System.nanoTime());
        }
      });
      ExecutorService senders = Executors.newFixedThreadPool(16);
      long start = System.nanoTime();
      long gap = SPREAD.toNanos() / PATIENTS;
      List<Long> acks = Collections.synchronizedList(new ArrayList<>());
      for (int i = 0; i < PATIENTS; i++) {
        long due = start + i * gap;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          java.util.concurrent.locks.LockSupport.parkNanos(wait);
        }
        String code = "BENCH-" + i;
        String xml = CallbackSimulator.addExternalContact(TestServer.CORP_ID, "assistant-lily", "wmBench" + i, "meituan",
            code, server.clock().millis() / 1000);
        senders.execute(() -> {
          try {
            long sent = System.nanoTime();
            posted.put(code, sent);
            server.postCallback(xml);
            acks.add(System.nanoTime() - sent);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
      }
      senders.shutdown();
      senders.awaitTermination(1, TimeUnit.MINUTES);
      long waitUntil = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      while (welcomed.size() < PATIENTS && System.nanoTime() < waitUntil) {
        Thread.sleep(50);
      }
      long burst = System.nanoTime() - start;

      List<Long> latencies = new ArrayList<>();
      posted.forEach((code, t) -> latencies.add(welcomed.getOrDefault(code, Long.MAX_VALUE / 2) - t));
      String report = String.format("bench-welcome: %d new patients in %.1f s (sent over %d s)%n"
              + "  callback -> send_welcome_msg: p50 %d ms, p99 %d ms, max %d ms%n"
              + "  callback acknowledged:        p50 %d ms, p99 %d ms, max %d ms%n"
              + "  inside the 20 s window: %d of %d (load average %.1f on %d cores)%n",
          PATIENTS, burst / 1e9, SPREAD.toSeconds(), ms(latencies, 50), ms(latencies, 99), ms(latencies, 100),
          ms(acks, 50), ms(acks, 99), ms(acks, 100),
          latencies.stream().filter(l -> l < Duration.ofSeconds(20).toNanos()).count(), PATIENTS,
          java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
          Runtime.getRuntime().availableProcessors());
      System.out.print(report);
      Files.createDirectories(Path.of("target"));
      Files.writeString(Path.of("target/bench-welcome.txt"), report);
      PatientFixture given = new PatientFixture(server);
      assertThat(welcomed).hasSize(PATIENTS);
      TestServer.awaitUntil(() -> ((Number) given.value("SELECT COUNT(*) FROM welcomes WHERE status = 'sent'")).intValue() == PATIENTS);
      assertThat(given.value("SELECT COUNT(*) FROM outbox WHERE purpose = 'welcome'")).isEqualTo(PATIENTS);
    }
  }

  private static long ms(List<Long> nanos, int percentile) {
    List<Long> sorted = new ArrayList<>(nanos);
    Collections.sort(sorted);
    int index = Math.min(sorted.size() - 1, (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1);
    return sorted.get(Math.max(index, 0)) / 1_000_000;
  }
}
