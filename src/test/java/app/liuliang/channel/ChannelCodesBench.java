package app.liuliang.channel;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

import app.liuliang.testing.TestServer;
import app.liuliang.testing.WeComFake;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Benchmark, not part of the suite ({@code scripts/bench.sh channels}): 500 declared codes (50 channels
 * × 10 stores) reconciled from empty against a fake WeCom that answers in 40 ms, then again after a
 * restart. Prints time and WeCom calls; asserts nothing.
 */
class ChannelCodesBench {

  private static final int CHANNELS = Integer.getInteger("bench.channels", 50);
  private static final int STORES = Integer.getInteger("bench.stores", 10);
  private static final Duration LATENCY = Duration.ofMillis(Long.getLong("bench.latency.ms", 40));

  @Test
  void reconcileFiveHundredCodes() throws Exception {
    Path config = TestServer.copyConfig(Path.of("config"));
    Path file = config.resolve("channels.yaml");
    Files.writeString(file, withBenchChannels(Files.readString(file)));
    try (WeComFake wecom = new WeComFake(LATENCY)) {
      long start = System.nanoTime();
      double first;
      int firstCalls;
      try (TestServer server = TestServer.builder().wecom(wecom).configDir(config).start()) {
        ChannelCodesFeature codes = feature(server);
        awaitAll(codes);
        first = (System.nanoTime() - start) / 1e9;
        firstCalls = calls(wecom);
        wecom.wireMock().resetRequests();
        server.restart();
        long again = System.nanoTime();
        ChannelCodesFeature restarted = feature(server);
        ChannelCodeReconciler.Report report = restarted.sync();
        double second = (System.nanoTime() - again) / 1e9;
        String out = String.format("bench-channels: %d codes, WeCom answers in %d ms%n"
                + "  from empty: %.1f s (start-up included), %d contact-way calls + QR downloads%n"
                + "  after a restart: %.3f s, %d contact-way calls (%s)%n",
            restarted.codes().size(), LATENCY.toMillis(), first, firstCalls, second, calls(wecom), report);
        System.out.print(out);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/bench-channels.txt"), out);
      }
    }
  }

  private static void awaitAll(ChannelCodesFeature codes) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    while (!codes.codes().stream().allMatch(ChannelCodesFeature.CodeView::hasQr) && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
  }

  private static int calls(WeComFake wecom) {
    return wecom.wireMock().countRequestsMatching(anyRequestedFor(urlPathMatching("/cgi-bin/externalcontact/.*_contact_way"))
        .build()).getCount();
  }

  private static ChannelCodesFeature feature(TestServer server) {
    return server.wiring().features().stream().filter(ChannelCodesFeature.class::isInstance)
        .map(ChannelCodesFeature.class::cast).findFirst().orElseThrow();
  }

  /** The shipped file (its last key is channels:) with more stores and the benchmark's channels appended. */
  private static String withBenchChannels(String shipped) {
    String stores = IntStream.range(0, STORES).mapToObj(i -> "  - id: s" + i + "\n    name: 分院" + i)
        .collect(Collectors.joining("\n"));
    String storeIds = IntStream.range(0, STORES).mapToObj(i -> "s" + i).collect(Collectors.joining(", "));
    String channels = IntStream.range(0, CHANNELS).mapToObj(i -> "  - id: ch" + i + "\n    name: 渠道" + i
        + "\n    tag: 来源-美团\n    code:\n      accounts: [assistant-lily]\n      stores: [" + storeIds + "]")
        .collect(Collectors.joining("\n"));
    return shipped.replace("stores:\n", "stores:\n" + stores + "\n").stripTrailing() + "\n" + channels + "\n";
  }
}
