package app.liuliang.message;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.notContaining;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import app.liuliang.handoff.KfOutbox;
import app.liuliang.sandbox.CallbackSimulator;
import app.liuliang.sandbox.KfStubs;
import app.liuliang.testing.MutableClock;
import app.liuliang.testing.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;

/**
 * Benchmark (run by {@code scripts/bench-messages.sh}): a burst of patient messages from many
 * patients arrives as kf callbacks (one per page of 10); WireMock plays WeCom. Prints messages/s
 * handled and the time from the callback to the FAQ reply or the doctor's card, as WireMock
 * received them. Each patient asks different questions (FAQ, price/intent, pain, unmatched); once a
 * patient was handed off, their further messages get no bot answer (recorded and tagged only, the
 * doctor serves the session), so they have no reply time.
 */
public final class MessageBench {

  private static final String[] TEXTS = {"你们几点开门", "地址在哪里", "停车方便吗", "能用医保吗", "拔牙后要注意什么",
      "想了解种植牙多少钱", "隐形矫正价格大概多少", "牙疼得厉害", "刷牙出血怎么办", "上次做的那个还要再来吗"};

  public static void main(String[] args) throws Exception {
    int messages = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int patients = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    int pageSize = 10;
    int pages = (messages + pageSize - 1) / pageSize;
    try (TestServer server = TestServer.builder().clock(new MutableClock(KfScenario.WEDNESDAY_10)).start()) {
      Map<String, Integer> indexOfMsgid = new HashMap<>();
      for (int p = 0; p < pages; p++) {
        List<ObjectNode> page = new ArrayList<>();
        for (int i = p * pageSize; i < Math.min(messages, (p + 1) * pageSize); i++) {
          String msgid = "bench-" + i;
          indexOfMsgid.put(msgid, i);
          // Patient p asks texts p, p+1, ... so a patient who was handed off writes again while staff serve them.
          page.add(KfScenario.text(msgid, "wmBench" + (i % patients), TEXTS[(i % patients + i / patients) % TEXTS.length]));
        }
        var request = post(urlPathEqualTo("/cgi-bin/kf/sync_msg"));
        request = p == 0 ? request.withRequestBody(notContaining("\"cursor\""))
            : request.withRequestBody(matchingJsonPath("$.cursor", equalTo("c" + p)));
        server.wecom().stubFor(request.atPriority(2)
            .willReturn(okJson(KfStubs.syncAnswer("c" + (p + 1), p + 1 < pages, page))));
      }
      server.wecom().stubFor(post(urlPathEqualTo("/cgi-bin/kf/sync_msg")).atPriority(2)
          .withRequestBody(matchingJsonPath("$.cursor", equalTo("c" + pages)))
          .willReturn(okJson(KfStubs.syncAnswer("c" + pages, false, List.of()))));

      long[] calledAt = new long[messages];
      ExecutorService posters = Executors.newFixedThreadPool(8);
      long start = System.currentTimeMillis();
      for (int p = 0; p < pages; p++) {
        int page = p;
        posters.execute(() -> {
          long now = System.currentTimeMillis();
          for (int i = page * pageSize; i < Math.min(messages, (page + 1) * pageSize); i++) {
            calledAt[i] = now;
          }
          try {
            server.postCallback(CallbackSimulator.kfMsgOrEvent(TestServer.CORP_ID, "T" + page, KfScenario.KF,
                server.clock().millis() / 1000));
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
      }
      posters.shutdown();
      posters.awaitTermination(1, TimeUnit.MINUTES);
      Jdbi jdbi = KfScenario.jdbi(server);
      waitFor(() -> KfScenario.count(jdbi, "SELECT COUNT(*) FROM messages WHERE direction = 'in' AND handled_at IS NOT NULL")
          >= messages);
      long handledAt = System.currentTimeMillis();
      waitFor(() -> KfScenario.count(jdbi, "SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending')") == 0);

      long[] answeredAt = new long[messages];
      Arrays.fill(answeredAt, -1);
      Map<String, Integer> byKfMsgid = new HashMap<>();
      indexOfMsgid.forEach((msgid, i) -> byKfMsgid.put(kfMsgid("faq:" + msgid), i));
      Map<String, Integer> byTask = new HashMap<>();
      jdbi.useHandle(h -> h.createQuery("SELECT id, source_msgid FROM handoffs").map((rs, ctx) -> {
        byTask.put("ho-" + rs.getLong(1) + "-0", indexOfMsgid.get(rs.getString(2)));
        return null;
      }).list());
      ObjectMapper json = new ObjectMapper();
      for (LoggedRequest r : server.wecom().findAll(postRequestedFor(urlPathEqualTo(KfOutbox.SEND_MSG)))) {
        Integer i = byKfMsgid.get(json.readTree(r.getBodyAsString()).path("msgid").asText());
        if (i != null) {
          answeredAt[i] = r.getLoggedDate().getTime();
        }
      }
      for (LoggedRequest r : server.wecom().findAll(postRequestedFor(urlPathEqualTo("/cgi-bin/message/send")))) {
        JsonNode body = json.readTree(r.getBodyAsString());
        Integer i = byTask.get(body.path("template_card").path("task_id").asText());
        if (i != null) {
          answeredAt[i] = r.getLoggedDate().getTime();
        }
      }
      long[] latencies = new long[messages];
      int answered = 0;
      for (int i = 0; i < messages; i++) {
        if (answeredAt[i] >= 0) {
          latencies[answered++] = answeredAt[i] - calledAt[i];
        }
      }
      long[] sorted = Arrays.copyOf(latencies, answered);
      Arrays.sort(sorted);
      double seconds = (handledAt - start) / 1000.0;
      System.out.printf("messages: %d from %d patients, %d callbacks (pages of %d)%n", messages, patients, pages, pageSize);
      System.out.printf("handled in %.2f s: %.0f messages/s%n", seconds, messages / seconds);
      System.out.printf("answered or doctor notified: %d (faq replies + hand-off cards), hand-offs: %d%n", answered,
          byTask.size());
      System.out.printf("callback -> reply/notification: p50 %d ms, p90 %d ms, p99 %d ms, max %d ms%n",
          pct(sorted, 50), pct(sorted, 90), pct(sorted, 99), sorted.length == 0 ? 0 : sorted[sorted.length - 1]);
    }
  }

  private static long pct(long[] sorted, int p) {
    return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
  }

  /** As {@code KfOutbox} derives it from the idempotency key. */
  private static String kfMsgid(String idemKey) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(idemKey.getBytes(StandardCharsets.UTF_8));
      return "ll" + HexFormat.of().formatHex(digest).substring(0, 30);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void waitFor(java.util.function.BooleanSupplier done) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 600_000;
    while (!done.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException("benchmark did not finish within 10 minutes");
      }
      Thread.sleep(20);
    }
  }
}
