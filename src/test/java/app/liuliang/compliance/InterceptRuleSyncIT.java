package app.liuliang.compliance;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.app.Json;
import app.liuliang.app.WeComCredentials;
import app.liuliang.store.Database;
import app.liuliang.store.StoreKind;
import app.liuliang.store.TestStores;
import app.liuliang.testing.TestServer;
import app.liuliang.wecom.WeComClient.InterceptRange;
import app.liuliang.wecom.WeComClient.InterceptRule;
import app.liuliang.wecom.WxJavaWeComClient;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The intercept-rule reconcile against a WireMock WeCom, through the real WxJava client, on both stores:
 * exactly the add, update and delete calls needed, the clinic's own rules never touched, nothing asked
 * again when nothing changed, refusals and outages recorded and retried, and one node at a time.
 */
class InterceptRuleSyncIT {

  private static final String API = "/cgi-bin/externalcontact/";
  private static final InterceptRange CORP = new InterceptRange(List.of(), List.of(1));

  private WireMockServer wecom;

  @BeforeEach
  void startWeCom() {
    wecom = TestServer.startWeCom();
  }

  @AfterEach
  void stopWeCom() {
    wecom.stop();
  }

  @ParameterizedTest
  @MethodSource("app.liuliang.store.TestStores#kinds")
  void addsTheMissingUpdatesTheStaleDeletesTheSurplusAndLeavesTheClinicsOwnAlone(StoreKind kind) throws Exception {
    // The corp: two rules of the clinic's own (one whose name merely starts like ours), Liuliang's rule 1 with
    // old words and an old range, and a rule 3 from when the list was longer. Rule 2 is missing.
    list("{\"rule_id\":\"own1\",\"rule_name\":\"前台自定敏感词\"},{\"rule_id\":\"own2\",\"rule_name\":\"留量广告词（手工）\"},"
        + "{\"rule_id\":\"ll1\",\"rule_name\":\"留量广告词1\"},{\"rule_id\":\"ll3\",\"rule_name\":\"留量广告词3\"}");
    wecom.stubFor(post(urlPathEqualTo(API + "get_intercept_rule")).withRequestBody(matchingJsonPath("$.rule_id", equalTo("ll1")))
        .willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\",\"rule\":{\"rule_id\":\"ll1\",\"rule_name\":\"留量广告词1\","
            + "\"word_list\":[\"最好\"],\"intercept_type\":2,\"applicable_range\":{\"user_list\":[\"old-staff\"],"
            + "\"department_list\":[2]}}}")));
    wecom.stubFor(post(urlPathEqualTo(API + "add_intercept_rule"))
        .willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\",\"rule_id\":\"ll2-new\"}")));
    List<InterceptRule> wanted = List.of(rule(1, 0, 300), rule(2, 300, 310));

    try (Database db = TestStores.create(kind)) {
      InterceptRuleSync sync = syncer(db, "node-a", Clock.systemUTC());
      InterceptRuleSync.Report first = sync.reconcile(wanted);

      assertThat(first.failed()).isEmpty();
      assertThat(first).extracting(InterceptRuleSync.Report::created, InterceptRuleSync.Report::updated,
          InterceptRuleSync.Report::deleted).containsExactly(1, 1, 1);
      wecom.verify(1, postRequestedFor(urlPathEqualTo(API + "update_intercept_rule"))
          .withRequestBody(matchingJsonPath("$.rule_id", equalTo("ll1")))
          .withRequestBody(matchingJsonPath("$.rule_name", equalTo("留量广告词1")))
          .withRequestBody(matchingJsonPath("$.word_list.length()", equalTo("300")))
          .withRequestBody(matchingJsonPath("$.intercept_type", equalTo("2")))
          .withRequestBody(matchingJsonPath("$.add_applicable_range.department_list", equalToJson("[1]")))
          .withRequestBody(matchingJsonPath("$.remove_applicable_range.department_list", equalToJson("[2]")))
          .withRequestBody(matchingJsonPath("$.remove_applicable_range.user_list", equalToJson("[\"old-staff\"]"))));
      wecom.verify(1, postRequestedFor(urlPathEqualTo(API + "add_intercept_rule"))
          .withRequestBody(matchingJsonPath("$.rule_name", equalTo("留量广告词2")))
          .withRequestBody(matchingJsonPath("$.word_list", equalToJson(json(words(300, 310)))))
          .withRequestBody(matchingJsonPath("$.applicable_range.department_list", equalToJson("[1]"))));
      wecom.verify(1, postRequestedFor(urlPathEqualTo(API + "del_intercept_rule"))
          .withRequestBody(equalToJson("{\"rule_id\":\"ll3\"}")));
      assertThat(calls("get_intercept_rule")).isEqualTo(1);
      assertThat(calls("update_intercept_rule")).isEqualTo(1);
      assertThat(calls("add_intercept_rule")).isEqualTo(1);
      assertThat(calls("del_intercept_rule")).isEqualTo(1);
      for (String own : List.of("own1", "own2")) {
        assertThat(wecom.findAll(anyRequestedFor(urlPathMatching(API + ".*intercept_rule"))
            .withRequestBody(matchingJsonPath("$.rule_id", equalTo(own))))).as(own + " untouched").isEmpty();
      }
      Map<String, InterceptRuleStore.Row> stored = stored(db);
      assertThat(stored.keySet()).containsExactly("留量广告词1", "留量广告词2");
      assertThat(stored.get("留量广告词1")).extracting(InterceptRuleStore.Row::ruleId, InterceptRuleStore.Row::status)
          .containsExactly("ll1", "active");
      assertThat(stored.get("留量广告词2")).extracting(InterceptRuleStore.Row::ruleId, InterceptRuleStore.Row::status)
          .containsExactly("ll2-new", "active");
      assertThat(stored.get("留量广告词2").spec()).contains("\"词300\"").contains("\"department_list\":[1]");

      // WeCom now holds what was asked: the next round reads the list and asks nothing else.
      list("{\"rule_id\":\"own1\",\"rule_name\":\"前台自定敏感词\"},{\"rule_id\":\"own2\",\"rule_name\":\"留量广告词（手工）\"},"
          + "{\"rule_id\":\"ll1\",\"rule_name\":\"留量广告词1\"},{\"rule_id\":\"ll2-new\",\"rule_name\":\"留量广告词2\"}");
      wecom.resetRequests();
      InterceptRuleSync.Report second = sync.reconcile(wanted);

      assertThat(second).extracting(InterceptRuleSync.Report::unchanged, InterceptRuleSync.Report::created,
          InterceptRuleSync.Report::updated, InterceptRuleSync.Report::deleted).containsExactly(2, 0, 0, 0);
      assertThat(calls("get_intercept_rule_list")).isEqualTo(1);
      for (String api : List.of("get_intercept_rule", "add_intercept_rule", "update_intercept_rule", "del_intercept_rule")) {
        assertThat(calls(api)).as(api).isZero();
      }
    }
  }

  @ParameterizedTest
  @MethodSource("app.liuliang.store.TestStores#kinds")
  void aRefusedAddIsRecordedAndMadeNextRoundAndAnOutageCrashesNothing(StoreKind kind) throws Exception {
    list("");
    wecom.stubFor(post(urlPathEqualTo(API + "add_intercept_rule"))
        .willReturn(okJson("{\"errcode\":40058,\"errmsg\":\"invalid word_list\"}")));
    List<InterceptRule> wanted = List.of(rule(1, 0, 5));

    try (Database db = TestStores.create(kind)) {
      InterceptRuleSync sync = syncer(db, "node-a", Clock.systemUTC());
      InterceptRuleSync.Report refused = sync.reconcile(wanted);

      assertThat(refused.created()).isZero();
      assertThat(refused.failed()).singleElement().asString().startsWith("留量广告词1").contains("40058");
      assertThat(stored(db).get("留量广告词1")).satisfies(row -> {
        assertThat(row.status()).isEqualTo("failed");
        assertThat(row.ruleId()).isNull();
        assertThat(row.error()).contains("40058").doesNotContain("access_token").doesNotContain("secret");
      });

      wecom.stubFor(any(urlPathEqualTo(API + "get_intercept_rule_list"))
          .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
      InterceptRuleSync.Report outage = sync.reconcile(wanted);
      assertThat(outage.ran()).isTrue();
      assertThat(outage.failed()).singleElement().asString().contains("get_intercept_rule_list");
      assertThat(stored(db).get("留量广告词1").status()).as("left for the next round").isEqualTo("failed");

      list("");
      wecom.stubFor(post(urlPathEqualTo(API + "add_intercept_rule"))
          .willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\",\"rule_id\":\"ll1\"}")));
      InterceptRuleSync.Report retried = sync.reconcile(wanted);

      assertThat(retried.failed()).isEmpty();
      assertThat(retried.created()).isEqualTo(1);
      assertThat(stored(db).get("留量广告词1")).extracting(InterceptRuleStore.Row::ruleId,
          InterceptRuleStore.Row::status, InterceptRuleStore.Row::error).containsExactly("ll1", "active", null);
    }
  }

  @ParameterizedTest
  @MethodSource("app.liuliang.store.TestStores#kinds")
  void twoNodesRacingRunOneReconcileAndTheOtherTakesOverWhenTheLeaseLapses(StoreKind kind) throws Exception {
    // A slow list, so the second node asks while the first is still at work.
    wecom.stubFor(any(urlPathEqualTo(API + "get_intercept_rule_list")).willReturn(
        okJson("{\"errcode\":0,\"errmsg\":\"ok\",\"rule_list\":[]}").withFixedDelay(500)));
    try (Database db = TestStores.create(kind)) {
      List<InterceptRuleSync> nodes = List.of(syncer(db, "node-a", Clock.systemUTC()), syncer(db, "node-b", Clock.systemUTC()));
      ExecutorService pool = Executors.newFixedThreadPool(2);
      List<InterceptRuleSync.Report> reports;
      try {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<InterceptRuleSync.Report>> runs = nodes.stream().map(node -> pool.submit(() -> {
          go.await();
          return node.reconcile(List.of());
        })).toList();
        go.countDown();
        reports = List.of(runs.get(0).get(), runs.get(1).get());
      } finally {
        pool.shutdownNow();
      }

      assertThat(reports).filteredOn(InterceptRuleSync.Report::ran).hasSize(1);
      assertThat(calls("get_intercept_rule_list")).isEqualTo(1);

      String holder = reports.get(0).ran() ? "node-a" : "node-b";
      String other = holder.equals("node-a") ? "node-b" : "node-a";
      assertThat(syncer(db, other, Clock.systemUTC()).reconcile(List.of()).ran()).as("still held").isFalse();
      assertThat(syncer(db, holder, Clock.systemUTC()).reconcile(List.of()).ran()).as("the holder renews it").isTrue();
      Clock later = Clock.offset(Clock.systemUTC(), InterceptRuleSync.LEASE.plus(Duration.ofSeconds(1)));
      assertThat(syncer(db, other, later).reconcile(List.of()).ran()).as("lapsed: taken over").isTrue();
      assertThat(syncer(db, holder, later).reconcile(List.of()).ran()).as("now the other's").isFalse();
    }
  }

  private InterceptRuleSync syncer(Database db, String node, Clock clock) {
    WeComCredentials credentials = new WeComCredentials(TestServer.CORP_ID, "1000002", "secret", TestServer.TOKEN,
        TestServer.AES_KEY, "http://127.0.0.1:" + wecom.port(), false);
    WxJavaWeComClient client = new WxJavaWeComClient(credentials, db.jdbi(), clock, Json.mapper(), new SimpleMeterRegistry());
    return new InterceptRuleSync(client, new InterceptRuleStore(db.jdbi()), Json.mapper(), clock, node);
  }

  private void list(String rules) {
    wecom.stubFor(any(urlPathEqualTo(API + "get_intercept_rule_list"))
        .willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\",\"rule_list\":[" + rules + "]}")));
  }

  private int calls(String api) {
    return wecom.findAll(anyRequestedFor(urlPathEqualTo(API + api))).size();
  }

  private static InterceptRule rule(int n, int from, int to) {
    return new InterceptRule(InterceptRulePlan.PREFIX + n, words(from, to), 2, CORP);
  }

  private static List<String> words(int from, int to) {
    return IntStream.range(from, to).mapToObj(i -> "词" + i).toList();
  }

  private static String json(List<String> words) {
    return words.stream().map(w -> "\"" + w + "\"").collect(Collectors.joining(",", "[", "]"));
  }

  private static Map<String, InterceptRuleStore.Row> stored(Database db) {
    return new InterceptRuleStore(db.jdbi()).all().stream()
        .collect(Collectors.toMap(InterceptRuleStore.Row::name, Function.identity(), (a, b) -> a, java.util.TreeMap::new));
  }
}
