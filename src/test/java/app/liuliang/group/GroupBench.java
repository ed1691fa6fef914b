package app.liuliang.group;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.sandbox.CallbackSimulator;
import app.liuliang.testing.TestServer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * Benchmark, not part of the suite (run it with {@code scripts/bench.sh groups}): 1,000 joins in 10 s
 * across 50 groups, against a real server and a WeCom whose {@code groupchat/get} answers each group as
 * it is at that moment (40 ms per call). Prints the groupchat/get calls made (coalesced per group) and
 * the time from the last callback until the stored membership is WeCom's; asserts only consistency.
 */
class GroupBench {

  private static final int JOINS = Integer.getInteger("bench.joins", 1000);
  private static final int GROUPS = Integer.getInteger("bench.groups", 50);
  private static final Duration SPREAD = Duration.ofSeconds(Long.getLong("bench.seconds", 10));
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The groups as WeCom holds them: members and a version per group. */
  private static final Map<String, List<String>> MEMBERS = new ConcurrentHashMap<>();
  private static final Map<String, AtomicInteger> VERSIONS = new ConcurrentHashMap<>();
  private static final AtomicInteger GETS = new AtomicInteger();

  private static final class LiveGroups implements ResponseDefinitionTransformerV2 {
    @Override
    public String getName() {
      return "live-groups";
    }

    @Override
    public ResponseDefinition transform(ServeEvent event) {
      if (!event.getRequest().getUrl().startsWith(GroupScenario.GET)) {
        return event.getResponseDefinition();
      }
      GETS.incrementAndGet();
      try {
        String chatId = JSON.readTree(event.getRequest().getBodyAsString()).path("chat_id").asText();
        ObjectNode body = JSON.createObjectNode().put("errcode", 0).put("errmsg", "ok");
        ObjectNode chat = body.putObject("group_chat").put("chat_id", chatId).put("name", "群" + chatId)
            .put("owner", "assistant-lily").put("create_time", 1_700_000_000L).put("notice", "");
        ArrayNode list = chat.putArray("member_list");
        synchronized (MEMBERS) {
          chat.put("member_version", "v" + VERSIONS.computeIfAbsent(chatId, c -> new AtomicInteger()).get());
          for (String m : MEMBERS.getOrDefault(chatId, List.of())) {
            list.addObject().put("userid", m).put("type", 2).put("join_time", 1_764_000_000L).put("join_scene", 3)
                .put("name", "").put("group_nickname", "");
          }
        }
        return new ResponseDefinitionBuilder().withStatus(200).withHeader("Content-Type", "application/json")
            .withBody(body.toString()).withFixedDelay(40).build();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  @Test
  void joinsAcrossGroupsBecomeConsistentMembershipWithCoalescedReads() throws Exception {
    WireMockServer wecom = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").containerThreads(100)
        .extensions(new LiveGroups()));
    wecom.start();
    TestServer.stubWeCom(wecom);
    try (TestServer server = TestServer.builder().wecom(wecom).clock(app.liuliang.testing.MutableClock.ticking()).start()) {
      GroupScenario given = new GroupScenario(server);
      ExecutorService senders = Executors.newFixedThreadPool(16);
      List<Long> acks = new CopyOnWriteArrayList<>();
      long start = System.nanoTime();
      long gap = SPREAD.toNanos() / JOINS;
      for (int i = 0; i < JOINS; i++) {
        long wait = start + i * gap - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        }
        String chatId = "wrBench" + (i % GROUPS);
        String member = "wmBench" + i;
        int last;
        int current;
        synchronized (MEMBERS) {
          MEMBERS.computeIfAbsent(chatId, c -> new CopyOnWriteArrayList<>()).add(member);
          current = VERSIONS.computeIfAbsent(chatId, c -> new AtomicInteger()).incrementAndGet();
          last = current - 1;
        }
        String xml = CallbackSimulator.externalChatChange(TestServer.CORP_ID, chatId, "update", "add_member",
            List.of(member), "v" + last, "v" + current, server.clock().millis() / 1000);
        senders.execute(() -> {
          try {
            long sent = System.nanoTime();
            server.postCallback(xml);
            acks.add(System.nanoTime() - sent);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
      }
      senders.shutdown();
      senders.awaitTermination(1, TimeUnit.MINUTES);
      long posted = System.nanoTime();
      TestServer.awaitUntil(() -> given.count("SELECT COUNT(*) FROM group_members WHERE type = 2 AND left_at IS NULL") == JOINS
          && given.count("SELECT COUNT(*) FROM inbox WHERE status = 'pending'") == 0);
      long consistent = System.nanoTime();
      String report = String.format("bench-groups: %d joins across %d groups, posted over %.1f s%n"
              + "  groupchat/get calls: %d (%.2f per join; %d groups)%n"
              + "  last callback -> membership consistent: %d ms; first callback -> consistent: %.1f s%n"
              + "  callback acknowledged: max %d ms (load average %.1f on %d cores)%n",
          JOINS, GROUPS, (posted - start) / 1e9, GETS.get(), GETS.get() / (double) JOINS, GROUPS,
          (consistent - posted) / 1_000_000, (consistent - start) / 1e9,
          acks.stream().mapToLong(Long::longValue).max().orElse(0) / 1_000_000,
          java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
          Runtime.getRuntime().availableProcessors());
      System.out.print(report);
      Files.createDirectories(Path.of("target"));
      Files.writeString(Path.of("target/bench-groups.txt"), report);
      assertThat(given.count("SELECT COUNT(*) FROM group_member_changes WHERE change = 'join'")).isEqualTo(JOINS);
      assertThat(given.count("SELECT COUNT(*) FROM inbox WHERE status = 'dead'")).isZero();
    } finally {
      wecom.stop();
    }
  }
}
