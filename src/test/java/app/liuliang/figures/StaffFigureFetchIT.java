package app.liuliang.figures;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.app.Json;
import app.liuliang.app.WeComCredentials;
import app.liuliang.store.Database;
import app.liuliang.store.StoreKind;
import app.liuliang.store.TestStores;
import app.liuliang.testing.MutableClock;
import app.liuliang.testing.TestServer;
import app.liuliang.wecom.WxJavaWeComClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The daily fetch over the real call path: StaffFigureFetcher → WxJavaWeComClient → WxJava → WireMock
 * playing {@code get_user_behavior_data}, into {@code staff_figures}, on both stores.
 */
class StaffFigureFetchIT {

  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
  /** 10:00 in Shanghai on Thursday 2026-12-03. */
  private static final Instant MORNING = Instant.parse("2026-12-03T02:00:00Z");
  private static final LocalDate TODAY = LocalDate.of(2026, 12, 3);
  private static final String API = "/cgi-bin/externalcontact/get_user_behavior_data";
  private static final ObjectMapper JSON = new ObjectMapper();

  private WireMockServer wecom;
  private MutableClock clock;

  @BeforeEach
  void startWeCom() {
    wecom = TestServer.startWeCom();
    wecom.stubFor(post(urlPathEqualTo(API)).atPriority(8).willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\",\"behavior_data\":[]}")));
    clock = new MutableClock(MORNING);
  }

  @AfterEach
  void stopWeCom() {
    wecom.stop();
  }

  private static long midnight(LocalDate day) {
    return day.atStartOfDay(SHANGHAI).toEpochSecond();
  }

  /** An answer for {@code userId}'s window starting {@code from}: days as JSON objects. */
  private void answer(String userId, LocalDate from, String... days) {
    wecom.stubFor(post(urlPathEqualTo(API)).atPriority(2)
        .withRequestBody(matchingJsonPath("$.userid[0]", equalTo(userId)))
        .withRequestBody(matchingJsonPath("$.start_time", equalTo(String.valueOf(midnight(from)))))
        .willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\",\"behavior_data\":[" + String.join(",", days) + "]}")));
  }

  private static String day(LocalDate day, int apply, int contacts, int chats, int messages, Double reply, Integer minutes,
      int deletions) {
    return "{\"stat_time\":" + midnight(day) + ",\"new_apply_cnt\":" + apply + ",\"new_contact_cnt\":" + contacts
        + ",\"chat_cnt\":" + chats + ",\"message_cnt\":" + messages
        + (reply == null ? "" : ",\"reply_percentage\":" + reply) + (minutes == null ? "" : ",\"avg_reply_time\":" + minutes)
        + ",\"negative_feedback_cnt\":" + deletions + "}";
  }

  private StaffFigureFetcher fetcher(Database db, List<String> staff) {
    WeComCredentials credentials = new WeComCredentials(TestServer.CORP_ID, "1000002", "secret", TestServer.TOKEN,
        TestServer.AES_KEY, "http://127.0.0.1:" + wecom.port(), false);
    WxJavaWeComClient client = new WxJavaWeComClient(credentials, db.jdbi(), clock, Json.mapper(), new SimpleMeterRegistry());
    return new StaffFigureFetcher(new StaffFigureRepository(db.jdbi()), client, () -> staff, clock, SHANGHAI,
        new SimpleMeterRegistry());
  }

  /** The bodies WxJava posted, oldest first. */
  private List<JsonNode> asked() throws Exception {
    List<JsonNode> bodies = new ArrayList<>();
    var events = new ArrayList<>(wecom.findAll(postRequestedFor(urlPathEqualTo(API))));
    events.sort(java.util.Comparator.comparing(com.github.tomakehurst.wiremock.verification.LoggedRequest::getLoggedDate));
    for (var e : events) {
      bodies.add(JSON.readTree(e.getBodyAsString()));
    }
    return bodies;
  }

  private static List<Map<String, Object>> rows(Database db, String sql, Object... args) {
    return db.jdbi().withHandle(h -> {
      var q = h.createQuery(sql);
      for (int i = 0; i < args.length; i++) {
        q.bind(i, args[i]);
      }
      return q.mapToMap().list();
    });
  }

  private static long number(Object value) {
    return ((Number) value).longValue();
  }

  @ParameterizedTest
  @MethodSource("app.liuliang.store.TestStores#kinds")
  void theFirstRunAsksSixWindowsBackTo179DaysAndTheNextDayOnlyTheLastThreeDaysUpsertingTheNewerNumbers(StoreKind kind)
      throws Exception {
    LocalDate lastWindow = TODAY.minusDays(29);
    answer("assistant-lily", lastWindow,
        day(TODAY.minusDays(2), 1, 4, 12, 40, 91.5, 6, 1),
        day(TODAY.minusDays(1), 0, 2, 3, 9, null, null, 0),
        day(TODAY.minusDays(40), 9, 9, 9, 9, 9.0, 9, 9));  // outside the window asked: ignored
    try (Database db = TestStores.create(kind)) {
      StaffFigureFetcher.Report first = fetcher(db, List.of("assistant-lily")).run();

      assertThat(first).isEqualTo(new StaffFigureFetcher.Report(1, 1, 0, 0, 2));
      List<JsonNode> bodies = asked();
      assertThat(bodies).hasSize(6);
      for (int i = 0; i < 6; i++) {
        LocalDate from = TODAY.minusDays(179 - 30L * i);
        JsonNode body = bodies.get(i);
        assertThat(body.path("userid")).hasSize(1);
        assertThat(body.path("userid").path(0).asText()).isEqualTo("assistant-lily");
        assertThat(body.path("start_time").asLong()).as("window %d starts", i).isEqualTo(midnight(from));
        LocalDate to = i < 5 ? from.plusDays(29) : TODAY.minusDays(1);  // 5 × 30 days, then the last 29
        assertThat(body.path("end_time").asLong()).as("window %d ends", i).isEqualTo(midnight(to));
      }
      assertThat(bodies).noneMatch(b -> b.has("partyid"));

      List<Map<String, Object>> stored = rows(db, "SELECT * FROM staff_figures ORDER BY day");
      assertThat(stored).hasSize(2);
      Map<String, Object> busy = stored.get(0);
      assertThat(busy.get("userid")).isEqualTo("assistant-lily");
      assertThat(busy.get("day")).isEqualTo("2026-12-01");
      assertThat(number(busy.get("new_apply_cnt"))).isEqualTo(1);
      assertThat(number(busy.get("new_contact_cnt"))).isEqualTo(4);
      assertThat(number(busy.get("chat_cnt"))).isEqualTo(12);
      assertThat(number(busy.get("message_cnt"))).isEqualTo(40);
      assertThat(((Number) busy.get("reply_percentage")).doubleValue()).isEqualTo(91.5);
      assertThat(number(busy.get("avg_reply_time"))).isEqualTo(6);
      assertThat(number(busy.get("negative_feedback_cnt"))).isEqualTo(1);
      Map<String, Object> quiet = stored.get(1);
      assertThat(quiet.get("day")).isEqualTo("2026-12-02");
      assertThat(quiet.get("reply_percentage")).as("no replies that day").isNull();
      assertThat(quiet.get("avg_reply_time")).isNull();
      assertThat(rows(db, "SELECT fetched_through, error, lease_owner FROM staff_figure_fetches").get(0))
          .containsEntry("fetched_through", "2026-12-02").containsEntry("error", null).containsEntry("lease_owner", null);

      // The same day again (a restart, another node): done already, nothing asked.
      assertThat(fetcher(db, List.of("assistant-lily")).run()).isEqualTo(new StaffFigureFetcher.Report(1, 0, 1, 0, 0));
      assertThat(asked()).hasSize(6);

      // The next morning: only the last three days, and WeCom has corrected 12-02.
      clock.advance(Duration.ofDays(1));
      LocalDate tomorrow = TODAY.plusDays(1);
      answer("assistant-lily", tomorrow.minusDays(3),
          day(TODAY.minusDays(1), 0, 5, 7, 21, 100.0, 2, 0),
          day(TODAY, 2, 3, 4, 10, 75.0, 11, 0));
      assertThat(fetcher(db, List.of("assistant-lily")).run().days()).isEqualTo(2);

      bodies = asked();
      assertThat(bodies).hasSize(7);
      assertThat(bodies.get(6).path("start_time").asLong()).isEqualTo(midnight(tomorrow.minusDays(3)));
      assertThat(bodies.get(6).path("end_time").asLong()).isEqualTo(midnight(TODAY));
      List<Map<String, Object>> corrected = rows(db, "SELECT * FROM staff_figures WHERE day = '2026-12-02'");
      assertThat(corrected).as("one row per staff member and day").hasSize(1);
      assertThat(number(corrected.get(0).get("new_contact_cnt"))).isEqualTo(5);
      assertThat(number(corrected.get(0).get("chat_cnt"))).isEqualTo(7);
      assertThat(((Number) corrected.get(0).get("reply_percentage")).doubleValue()).isEqualTo(100.0);
      assertThat(number(corrected.get(0).get("avg_reply_time"))).isEqualTo(2);
      assertThat(rows(db, "SELECT COUNT(*) AS n FROM staff_figures").get(0).get("n")).matches(n -> number(n) == 3);
    }
  }

  @ParameterizedTest
  @MethodSource("app.liuliang.store.TestStores#kinds")
  void aWeComErrorForOneStaffMemberLeavesTheOthersFetchedAndIsRetriedNextRound(StoreKind kind) throws Exception {
    for (String user : List.of("assistant-lily", "dr-wang", "dr-chen")) {
      answer(user, TODAY.minusDays(29), day(TODAY.minusDays(1), 0, user.length(), 5, 15, 80.0, 3, 0));
    }
    wecom.stubFor(post(urlPathEqualTo(API)).atPriority(1).withRequestBody(matchingJsonPath("$.userid[0]", equalTo("dr-wang")))
        .willReturn(TestServer.errcode(60111, "userid not found")));
    try (Database db = TestStores.create(kind)) {
      StaffFigureFetcher fetcher = fetcher(db, List.of("assistant-lily", "dr-wang", "dr-chen"));

      assertThat(fetcher.run()).isEqualTo(new StaffFigureFetcher.Report(3, 2, 0, 1, 2));
      assertThat(rows(db, "SELECT userid FROM staff_figures ORDER BY userid")).extracting(r -> r.get("userid"))
          .containsExactly("assistant-lily", "dr-chen");
      Map<String, Object> failed = rows(db, "SELECT * FROM staff_figure_fetches WHERE userid = 'dr-wang'").get(0);
      assertThat(failed.get("error")).isEqualTo("企业微信错误码 60111");
      assertThat(failed.get("fetched_through")).as("nothing fetched for dr-wang").isNull();
      assertThat(failed.get("lease_owner")).as("the lease is given back").isNull();

      // WeCom answers again: the next round fetches only dr-wang, and clears the error.
      wecom.removeStub(wecom.getStubMappings().stream()
          .filter(m -> m.getPriority() != null && m.getPriority() == 1 && m.getRequest().getUrlPath() != null
              && m.getRequest().getUrlPath().equals(API))
          .findFirst().orElseThrow());
      assertThat(fetcher.run()).isEqualTo(new StaffFigureFetcher.Report(3, 1, 2, 0, 1));
      assertThat(rows(db, "SELECT userid FROM staff_figures ORDER BY userid")).extracting(r -> r.get("userid"))
          .containsExactly("assistant-lily", "dr-chen", "dr-wang");
      assertThat(rows(db, "SELECT error, fetched_through FROM staff_figure_fetches WHERE userid = 'dr-wang'").get(0))
          .containsEntry("error", null).containsEntry("fetched_through", "2026-12-02");
    }
  }

  @ParameterizedTest
  @MethodSource("app.liuliang.store.TestStores#kinds")
  void twoNodesRacingFetchEachStaffMemberOnce(StoreKind kind) throws Exception {
    // Slow answers, so the two runs overlap on every staff member.
    wecom.stubFor(post(urlPathEqualTo(API)).atPriority(8)
        .willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\",\"behavior_data\":[]}").withFixedDelay(40)));
    List<String> staff = List.of("u1", "u2", "u3", "u4", "u5");
    for (String user : staff) {
      answer(user, TODAY.minusDays(29), day(TODAY.minusDays(1), 0, 1, 1, 1, 50.0, 1, 0));
    }
    try (Database db = TestStores.create(kind)) {
      StaffFigureFetcher nodeA = fetcher(db, staff);
      StaffFigureFetcher nodeB = fetcher(db, List.of("u5", "u4", "u3", "u2", "u1"));
      CountDownLatch go = new CountDownLatch(1);
      CompletableFuture<StaffFigureFetcher.Report> a = CompletableFuture.supplyAsync(() -> awaitThen(go, nodeA));
      CompletableFuture<StaffFigureFetcher.Report> b = CompletableFuture.supplyAsync(() -> awaitThen(go, nodeB));
      go.countDown();
      StaffFigureFetcher.Report ra = a.get();
      StaffFigureFetcher.Report rb = b.get();

      assertThat(ra.fetched() + rb.fetched()).isEqualTo(5);
      assertThat(ra.skipped() + rb.skipped()).isEqualTo(5);
      assertThat(ra.failed() + rb.failed()).isZero();
      List<JsonNode> bodies = asked();
      for (String user : staff) {
        assertThat(bodies.stream().filter(body -> body.path("userid").path(0).asText().equals(user)).count())
            .as("windows asked for %s", user).isEqualTo(6);
      }
      assertThat(rows(db, "SELECT COUNT(*) AS n FROM staff_figures").get(0).get("n")).matches(n -> number(n) == 5);
      assertThat(rows(db, "SELECT fetched_through FROM staff_figure_fetches")).extracting(r -> r.get("fetched_through"))
          .containsOnly("2026-12-02").hasSize(5);
    }
  }

  private static StaffFigureFetcher.Report awaitThen(CountDownLatch go, StaffFigureFetcher fetcher) {
    try {
      go.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return fetcher.run();
  }
}
