package app.liuliang.contact;

import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.app.Settings;
import app.liuliang.testing.TestServer;
import app.liuliang.testing.WeComFake;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * The server as its own process ({@code target/liuliang.jar serve}, as scripts/run.sh starts it) on a
 * data dir, killed with {@code kill -9} in the middle of a burst of new patients while WeCom stalls
 * every fourth welcome (acts on it, answers after the read timeout), then restarted on the same data;
 * WeCom re-posts every event. Every patient gets exactly one of welcome or fallback, none neither,
 * and welcome records agree with the outbox.
 */
class WelcomeCrashIT {

  private static final int PATIENTS = 500;
  private static final int PER_SECOND = 100;
  private static final int KILL_AT = 250;

  @Test
  void killedMidBurstEveryPatientGetsExactlyOneOfWelcomeOrFallback() throws Exception {
    Path jar = Path.of("target/liuliang.jar");
    assertThat(jar).as("built by mvn package, before the integration tests").exists();
    Path data = Files.createTempDirectory("liuliang-crash");
    Path config = TestServer.copyConfigWithout("sop", "campaigns", "journeys.yaml");
    int port = freePort();
    String baseUrl = "http://127.0.0.1:" + port;
    try (WeComFake wecom = new WeComFake(Duration.ofMillis(40))) {
      wecom.stallEveryNthWelcome(4);
      ProcessBuilder server = serverProcess(wecom, data, config, port);
      NewPatientLedger ledger = new NewPatientLedger(wecom, Clock.systemUTC());
      Process first = start(server, baseUrl);
      Process[] second = new Process[1];
      Thread restart = new Thread(() -> {
        try {
          first.destroyForcibly().waitFor();  // SIGKILL: no shutdown hook, no flush
          second[0] = start(server, baseUrl);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });

      ledger.burst(baseUrl, "wmCrash", PATIENTS, PER_SECOND, i -> {
        if (i == KILL_AT) {
          restart.start();
        }
      });
      restart.join();
      assertThat(second[0]).as("restarted").isNotNull();
      ledger.repostAll(baseUrl);
      Jdbi store = Jdbi.create("jdbc:sqlite:" + data.resolve("liuliang.db"));
      try {
        WelcomeOutageIT.awaitUntil(Duration.ofMinutes(3), ledger.settled(store));
      } finally {
        second[0].destroy();
        second[0].waitFor();
      }

      NewPatientLedger.Verdict verdict = ledger.judge(store);
      System.out.println("crash: " + ledger.summary() + "; killed after " + KILL_AT + " posted");
      assertThat(ledger.acked()).isEqualTo(PATIENTS);
      assertThat(verdict.clean()).as(verdict.toString()).isTrue();
      assertThat(wecom.stalled()).isPositive();
      assertThat(ledger.welcomed()).isPositive();
    }
  }

  static ProcessBuilder serverProcess(WeComFake wecom, Path data, Path config, int port) {
    ProcessBuilder builder = new ProcessBuilder("java", "@scripts/server.jvmopts", "-jar", "target/liuliang.jar", "serve")
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(data.resolve("server.log").toFile()));
    builder.environment().putAll(Map.of(Settings.CORP_ID, TestServer.CORP_ID, Settings.AGENT_ID, "1000002",
        Settings.SECRET, "test-secret", Settings.TOKEN, TestServer.TOKEN, Settings.AES_KEY, TestServer.AES_KEY,
        Settings.API_BASE_URL, wecom.baseUrl(), Settings.PORT, String.valueOf(port),
        Settings.DATA_DIR, data.toString(), Settings.CONFIG_DIR, config.toString(),
        Settings.ADMIN_TOKEN, TestServer.ADMIN_TOKEN));
    return builder;
  }

  /** Starts the process and waits for {@code /ready} (a start-up, not a timing assertion). */
  static Process start(ProcessBuilder builder, String baseUrl) throws Exception {
    Process process = builder.start();
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError("server exited with " + process.exitValue());
      }
      try {
        HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/ready")).build(),
            HttpResponse.BodyHandlers.ofString());
        if (ready.statusCode() == 200) {
          return process;
        }
      } catch (IOException notYet) {
        // still starting
      }
      Thread.sleep(50);
    }
    process.destroyForcibly();
    throw new AssertionError("server not ready within 60 s");
  }

  static int freePort() throws IOException {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
