package app.liuliang.bench;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import app.liuliang.callback.CallbackCrypto;
import app.liuliang.sandbox.CallbackSimulator;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Starts {@code target/liuliang.jar serve} in its own process against a fake WeCom (WireMock, in
 * this process), then posts distinct signed+encrypted callbacks over loopback and prints: start-up
 * time, throughput at several concurrencies, p50/p99 ack latency at a fixed rate (open loop, measured
 * from the intended send time), callback → outbound call latency, and the server's RSS.
 *
 * <p>Usage: {@code CallbackBench [callbacks-per-level] [rate] [seconds]}. With wrk installed (Debian's
 * package) the closed-loop levels use it, reading pre-signed callbacks from a file.
 */
public final class CallbackBench {

  private static final String CORP = "wwbench000000001";
  private static final String TOKEN = "BenchToken";
  private static final String KEY = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
  private static final int OPEN_LOOP_CONNECTIONS = 64;
  private static final Pattern CODE = Pattern.compile("\"welcome_code\"\\s*:\\s*\"([^\"]+)\"");

  private final HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(8)).build();
  private final CallbackSimulator simulator = new CallbackSimulator(new CallbackCrypto(TOKEN, KEY, CORP), Clock.systemUTC());
  private final Map<String, Long> postedAt = new ConcurrentHashMap<>();
  private final List<Long> outboundLatencies = java.util.Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger sequence = new AtomicInteger();
  private String baseUrl;
  private WireMockServer wecom;

  public static void main(String[] args) throws Exception {
    int perLevel = args.length > 0 ? Integer.parseInt(args[0]) : 120_000;
    int rate = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    new CallbackBench().run(perLevel, rate, seconds);
    System.exit(0);
  }

  private void run(int perLevel, int rate, int seconds) throws Exception {
    wecom = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1")
        .containerThreads(32).disableRequestJournal());
    wecom.start();
    wecom.stubFor(any(urlPathMatching("/cgi-bin/.*")).atPriority(10).willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\"}")));
    wecom.stubFor(WireMock.get(urlPathMatching("/cgi-bin/gettoken")).atPriority(1)
        .willReturn(okJson("{\"errcode\":0,\"access_token\":\"T\",\"expires_in\":7200}")));
    wecom.addMockServiceRequestListener((request, response) -> {
      if (request.getUrl().startsWith("/cgi-bin/externalcontact/send_welcome_msg")) {
        Matcher m = CODE.matcher(request.getBodyAsString());
        if (m.find()) {
          Long at = postedAt.get(m.group(1));
          if (at != null) {
            outboundLatencies.add(System.nanoTime() - at);
          }
        }
      }
    });

    // Like scripts/run.sh: the first start records a class-data-sharing archive (written at exit),
    // later starts map it. Both start-up times are printed.
    Path archive = Path.of("target/liuliang-bench.jsa");
    Files.deleteIfExists(archive);
    Process training = serverProcess(List.of("-XX:ArchiveClassesAtExit=" + archive, "-Xlog:cds=off",
        "-Xlog:cds+dynamic=off")).start();
    long trainingLaunched = System.nanoTime();
    awaitHealth();
    long cold = (System.nanoTime() - trainingLaunched) / 1_000_000;
    training.destroy();
    training.waitFor(60, TimeUnit.SECONDS);

    long launched = System.nanoTime();
    Process server = serverProcess(Files.exists(archive) ? List.of("-XX:SharedArchiveFile=" + archive) : List.of()).start();
    try {
      awaitHealth();
      System.out.printf("start-up to /health 200 (process launch included): %d ms first, %d ms with the CDS archive%n",
          cold, (System.nanoTime() - launched) / 1_000_000);

      warmUp(20_000);  // enough for the JIT to compile the hot path: steady state is what we report
      // The open-loop client's own code is warmed too, or its first phase measures its interpreter.
      openLoop(rate, new long[rate * 5]);
      awaitInboxDrained();
      Thread.sleep(2_000);
      System.out.println();
      System.out.println("ACK PATH (verify, decrypt, parse, durable inbox row, then 200; the worker marks each skipped):");
      System.out.printf("  open loop, %d keep-alive connections, latency from each callback's due time:%n", OPEN_LOOP_CONNECTIONS);
      for (int level : new int[] {rate, rate * 2, rate * 4}) {
        long[] paced = new long[level * seconds];
        int failures = openLoop(level, paced);
        System.out.printf("    %5d/s for %d s (%d distinct callbacks): p50 %.2f ms, p99 %.2f ms, max %.2f ms, non-200: %d%n",
            level, seconds, paced.length, pct(paced, 50), pct(paced, 99), pct(paced, 100), failures);
        awaitInboxDrained();
      }
      if (hasWrk()) {
        System.out.println("  closed loop with wrk (2 threads), 5 s per level, every callback distinct:");
        System.out.println("    connections  callbacks/s   p50 ms   p99 ms   max ms   non-200  repeated");
        for (int connections : new int[] {8, 32, 128}) {
          wrkLevel(connections, perLevel);
        }
      } else {
        System.out.println("  closed loop (Java client; install wrk for a lighter load generator), " + perLevel + " callbacks per level:");
        System.out.println("    concurrency  callbacks/s   p50 ms   p99 ms   max ms");
        for (int concurrency : new int[] {1, 8, 32, 64}) {
          long[] latencies = new long[concurrency == 1 ? Math.min(perLevel, 3_000) : perLevel];
          double throughput = closedLoop(concurrency, latencies);
          System.out.printf("    %11d  %11.0f  %7.2f  %7.2f  %7.2f%n", concurrency, throughput, pct(latencies, 50),
              pct(latencies, 99), pct(latencies, 100));
        }
      }
      System.out.printf("  server RSS after the ack-path load: %s (peak %s)%n", rss(server.pid(), "VmRSS"), rss(server.pid(), "VmHWM"));
      awaitInboxDrained();

      System.out.println();
      System.out.println("NEW-PATIENT PIPELINE (callback -> lookup, tags, send_welcome_msg to the fake WeCom):");
      ackOnly = false;
      for (int patientsPerSecond : new int[] {50, 100, 200}) {
        outboundLatencies.clear();
        long[] acks = new long[patientsPerSecond * seconds];
        int pipelineFailures = openLoop(patientsPerSecond, acks);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (outboundLatencies.size() < acks.length && System.nanoTime() < deadline) {
          Thread.sleep(100);
        }
        long[] outbound = outboundLatencies.stream().mapToLong(Long::longValue).toArray();
        System.out.printf("  %d new patients/s for %d s: ack p99 %.1f ms (non-200: %d); welcomes sent %d/%d, "
                + "callback -> send_welcome_msg p50 %.0f ms, p99 %.0f ms, max %.0f ms%n",
            patientsPerSecond, seconds, pct(acks, 99), pipelineFailures, outbound.length, acks.length,
            outbound.length == 0 ? 0 : pct(outbound, 50), outbound.length == 0 ? 0 : pct(outbound, 99),
            outbound.length == 0 ? 0 : pct(outbound, 100));
        awaitInboxDrained();
      }
      System.out.printf("server RSS: %s now, %s peak%n", rss(server.pid(), "VmRSS"), rss(server.pid(), "VmHWM"));
    } finally {
      long stopping = System.nanoTime();
      server.destroy();
      if (server.waitFor(30, TimeUnit.SECONDS)) {
        System.out.printf("graceful stop (SIGTERM): %d ms%n", (System.nanoTime() - stopping) / 1_000_000);
      } else {
        System.out.println("graceful stop (SIGTERM): did not exit within 30 s; killed");
        server.destroyForcibly();
      }
      wecom.stop();
    }
  }

  /** Waits (up to 60 s) until the server has no inbox lag, so phases do not measure each other. */
  private void awaitInboxDrained() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      String metrics = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      Matcher lag = Pattern.compile("(?m)^liuliang_inbox_lag_seconds (\\S+)").matcher(metrics);
      if (lag.find() && Double.parseDouble(lag.group(1)) == 0.0) {
        return;
      }
      Thread.sleep(500);
    }
    System.out.println("  (inbox still draining after 60 s)");
  }

  private static boolean hasWrk() {
    try {
      return new ProcessBuilder("wrk", "--version").redirectErrorStream(true).start().waitFor() >= 0;
    } catch (java.io.IOException | InterruptedException e) {
      return false;
    }
  }

  /** One wrk run over {@code count} fresh callbacks written to a file the Lua script reads. */
  private void wrkLevel(int connections, int count) throws Exception {
    Path requests = Files.createTempFile("callbacks", ".tsv");
    try (java.io.BufferedWriter out = Files.newBufferedWriter(requests)) {
      for (int i = 0; i < count; i++) {
        CallbackSimulator.SignedCallback callback = next();
        out.write("/wecom/callback?" + callback.query() + "\t" + callback.body() + "\n");
      }
    }
    Process wrk = new ProcessBuilder("wrk", "-t2", "-c" + connections, "-d5s", "--timeout", "10s",
        "-s", "scripts/bench-callbacks.lua", baseUrl, "--", requests.toString(), "2")
        .redirectErrorStream(true).start();
    String output = new String(wrk.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    wrk.waitFor();
    Files.deleteIfExists(requests);
    Matcher m = Pattern.compile("BENCH rps=(\\S+) p50=(\\S+) p99=(\\S+) max=(\\S+) total=\\S+ non200=(\\S+) repeated=(\\S+)")
        .matcher(output);
    if (m.find()) {
      System.out.printf("  %11d  %11s  %7s  %7s  %7s  %8s  %8s%n", connections, m.group(1), m.group(2), m.group(3),
          m.group(4), m.group(5), m.group(6));
    } else {
      System.out.println("  wrk failed: " + output);
    }
  }

  private void awaitHealth() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      try {
        if (http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/health")).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (java.io.IOException notYet) {
        // The server is still starting.
      }
      Thread.sleep(10);
    }
    throw new IllegalStateException("server did not become healthy");
  }

  /** True while phases measure the ack path alone; false for the new-patient pipeline. */
  private volatile boolean ackOnly = true;

  /**
   * The next distinct callback. For the ack path: a customer-group change, which every part of the
   * ingress handles (verify, decrypt, parse, durable inbox row, worker marks it skipped) but no
   * feature acts on. For the pipeline: a new patient, who gets a lookup, tags and a welcome.
   */
  private CallbackSimulator.SignedCallback next() {
    int n = sequence.incrementAndGet();
    long now = System.currentTimeMillis() / 1000;
    if (ackOnly) {
      return simulator.sign("<xml><ToUserName><![CDATA[" + CORP + "]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName>"
          + "<CreateTime>" + now + "</CreateTime><MsgType><![CDATA[event]]></MsgType>"
          + "<Event><![CDATA[change_external_chat]]></Event><ChatId><![CDATA[wrBENCH" + n + "]]></ChatId>"
          + "<ChangeType><![CDATA[update]]></ChangeType><UpdateDetail><![CDATA[add_member]]></UpdateDetail>"
          + "<JoinScene>1</JoinScene><MemChangeCnt>1</MemChangeCnt></xml>");
    }
    return simulator.sign(CallbackSimulator.addExternalContact(CORP, "assistant-lily", "wmBENCH" + n, "meituan",
        "CODE" + n, now));
  }

  private HttpRequest request(CallbackSimulator.SignedCallback callback) {
    return HttpRequest.newBuilder(URI.create(baseUrl + "/wecom/callback?" + callback.query()))
        .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(callback.body())).build();
  }

  private static String codeOf(int n) {
    return "CODE" + n;
  }

  private void warmUp(int count) throws Exception {
    closedLoop(16, new long[count]);
  }

  private double closedLoop(int concurrency, long[] latencies) throws Exception {
    List<CallbackSimulator.SignedCallback> callbacks = new ArrayList<>(latencies.length);
    int first = sequence.get() + 1;
    for (int i = 0; i < latencies.length; i++) {
      callbacks.add(next());
    }
    AtomicInteger index = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    long start = System.nanoTime();
    for (int t = 0; t < concurrency; t++) {
      pool.execute(() -> {
        int i;
        while ((i = index.getAndIncrement()) < latencies.length) {
          long sent = System.nanoTime();
          postedAt.put(codeOf(first + i), sent);
          try {
            http.send(request(callbacks.get(i)), HttpResponse.BodyHandlers.discarding());
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
          latencies[i] = System.nanoTime() - sent;
        }
      });
    }
    pool.shutdown();
    pool.awaitTermination(10, TimeUnit.MINUTES);
    return latencies.length / ((System.nanoTime() - start) / 1e9);
  }

  /** Sends at a fixed rate regardless of replies; latency counts from when each send was due. */
  private int openLoop(int rate, long[] latencies) throws Exception {
    List<CallbackSimulator.SignedCallback> callbacks = new ArrayList<>(latencies.length);
    int first = sequence.get() + 1;
    for (int i = 0; i < latencies.length; i++) {
      callbacks.add(next());
    }
    URI base = URI.create(baseUrl);
    return new OpenLoopClient(base.getHost(), base.getPort(), OPEN_LOOP_CONNECTIONS)
        .run(callbacks, rate, latencies, n -> postedAt.put(codeOf(first + n), System.nanoTime()));
  }

  /** The server, with scripts/run.sh's JVM options and a fresh store on a fresh port. */
  private ProcessBuilder serverProcess(List<String> cds) throws Exception {
    Path data = Files.createTempDirectory("liuliang-bench");
    int port = freePort();
    baseUrl = "http://127.0.0.1:" + port;
    // scripts/run.sh's JVM options: the same file.
    List<String> command = new ArrayList<>(List.of("java", "@scripts/server.jvmopts"));
    command.addAll(cds);
    // e.g. BENCH_SERVER_OPTS="-XX:StartFlightRecording=filename=/tmp/server.jfr" to profile the server
    String extra = System.getenv().getOrDefault("BENCH_SERVER_OPTS", "").trim();
    if (!extra.isEmpty()) {
      command.addAll(List.of(extra.split("\\s+")));
    }
    command.addAll(List.of("-jar", "target/liuliang.jar", "serve"));
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectErrorStream(true).redirectOutput(data.resolve("server.log").toFile());
    builder.environment().put("MALLOC_ARENA_MAX", "2");
    builder.environment().putAll(Map.of("WECOM_CORP_ID", CORP, "WECOM_AGENT_ID", "1000002", "WECOM_SECRET", "s",
        "WECOM_TOKEN", TOKEN, "WECOM_AES_KEY", KEY, "WECOM_API_BASE_URL", "http://127.0.0.1:" + wecom.port(),
        "LIULIANG_PORT", String.valueOf(port), "LIULIANG_DATA_DIR", data.toString(), "LIULIANG_LOG_LEVEL", "WARN"));
    return builder;
  }

  private static double pct(long[] nanos, int percentile) {
    long[] sorted = Arrays.copyOf(nanos, nanos.length);
    Arrays.sort(sorted);
    int index = Math.min(sorted.length - 1, (int) Math.ceil(percentile / 100.0 * sorted.length) - 1);
    return sorted[Math.max(0, index)] / 1e6;
  }

  private static String rss(long pid, String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith(field + ":")) {
          return String.format("%.0f MB", Long.parseLong(line.replaceAll("\\D", "")) / 1024.0);
        }
      }
    } catch (java.io.IOException e) {
      return "n/a";
    }
    return "n/a";
  }

  private static int freePort() throws java.io.IOException {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
