package app.liuliang.sandbox;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The sandbox's 继承 API, as a corp that remembers what it was asked, so a transfer can be tried end to end:
 * <ul>
 *   <li>{@code get_unassigned_list} lists the customers of one departed member ({@link #DEPARTED}) until they
 *       are taken over;</li>
 *   <li>{@code transfer_customer} (在职 or 离职) starts every customer (errcode 0), or answers 40129 (already
 *       being transferred) for one still waiting;</li>
 *   <li>{@code transfer_result} says "waiting" (status 2, with the future takeover time) until
 *       {@link #takeoverAfter} has passed since the submission, then "taken over" (1), except the second
 *       customer of each handover → takeover pair, who refuses (3): so an operator sees every state.</li>
 * </ul>
 * The departed member also owned {@link #DEPARTED_GROUP}; groups always move. The takeover delay is {@code LIULIANG_SANDBOX_TAKEOVER_AFTER} (ISO-8601, default PT1M;
 * a real corp waits 24 h).
 */
public final class TransferStubs extends JsonApiStub {

  static final String NAME = "sandbox-transfers";
  public static final String DEPARTED = "assistant-jing";
  /** The departed member's customers: none known to Liuliang, as after a member who left long ago. */
  public static final List<String> DEPARTED_CUSTOMERS = List.of("wmSandboxLeft01", "wmSandboxLeft02",
      "wmSandboxLeft03");
  /** The customer group the departed member owned (status 1: 跟进人离职). */
  public static final String DEPARTED_GROUP = "wrSandboxLeftGroup01";
  public static final String TAKEOVER_AFTER_ENV = "LIULIANG_SANDBOX_TAKEOVER_AFTER";
  private static final int IN_PROGRESS = 40129;

  /** One customer's transfer: when asked, and whether they refuse. */
  private record Move(long submittedAt, boolean refuses) {
  }

  /** "kind handover takeover" → customer → move, in submission order. */
  private final Map<String, Map<String, Move>> moves = new LinkedHashMap<>();
  private final Map<String, Long> dimission = new LinkedHashMap<>();
  private final LongSupplier clock;
  private volatile Duration takeoverAfter;

  TransferStubs(Duration takeoverAfter, LongSupplier clock) {
    super(NAME);
    this.takeoverAfter = takeoverAfter;
    this.clock = clock;
    long left = clock.getAsLong() / 1000 - Duration.ofDays(3).toSeconds();
    DEPARTED_CUSTOMERS.forEach(ext -> dimission.put(ext, left));
  }

  /** The delay from {@code LIULIANG_SANDBOX_TAKEOVER_AFTER} (PT1M when unset or not a duration). */
  static TransferStubs fromEnvironment(Map<String, String> env) {
    Duration after = Duration.ofMinutes(1);
    String text = env.get(TAKEOVER_AFTER_ENV);
    if (text != null && !text.isBlank()) {
      try {
        after = Duration.parse(text.strip());
      } catch (java.time.format.DateTimeParseException e) {
        org.slf4j.LoggerFactory.getLogger(TransferStubs.class)
            .warn("{}={} is not an ISO-8601 duration (e.g. PT1M); using PT1M", TAKEOVER_AFTER_ENV, text);
      }
    }
    return new TransferStubs(after, System::currentTimeMillis);
  }

  /** How long a sandbox customer waits before being taken over (tests shorten it). */
  public void takeoverAfter(Duration after) {
    this.takeoverAfter = after;
  }

  public Duration takeoverAfter() {
    return takeoverAfter;
  }

  void install(WireMockServer server) {
    server.stubFor(post(urlPathMatching(API + "(resigned/)?transfer_(customer|result)")).atPriority(5)
        .willReturn(aResponse().withTransformers(NAME)));
    server.stubFor(post(urlPathEqualTo(API + "get_unassigned_list")).atPriority(5)
        .willReturn(aResponse().withTransformers(NAME)));
    // The departed member owned one customer group too (groupchat/transfer moves it to the colleague).
    server.stubFor(post(urlPathEqualTo(API + "groupchat/list")).atPriority(4)
        .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath(
            "$.owner_filter.userid_list[?(@ == '" + DEPARTED + "')]"))
        .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json; charset=utf-8")
            .withBody("{\"errcode\":0,\"errmsg\":\"ok\",\"group_chat_list\":[{\"chat_id\":\"" + DEPARTED_GROUP
                + "\",\"status\":1}],\"next_cursor\":\"\"}")));
    server.stubFor(post(urlPathMatching(API + "groupchat/(onjob_)?transfer")).atPriority(5)
        .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json; charset=utf-8")
            .withBody("{\"errcode\":0,\"errmsg\":\"ok\",\"failed_chat_list\":[]}")));
  }

  @Override
  ObjectNode answer(String path, JsonNode body) {
    ObjectNode ok = ok();
    boolean resigned = path.startsWith("resigned/");
    String pair = (resigned ? "resigned " : "onjob ") + body.path("handover_userid").asText() + " "
        + body.path("takeover_userid").asText();
    long now = clock.getAsLong();
    switch (path.replace("resigned/", "")) {
      case "transfer_customer" -> submit(ok.putArray("customer"), pair, body.path("external_userid"), now);
      case "transfer_result" -> results(ok, moves.getOrDefault(pair, Map.of()), now, resigned);
      case "get_unassigned_list" -> unassigned(ok, now);
      default -> {
        return error(404, "unknown api");
      }
    }
    return ok;
  }

  private void submit(ArrayNode answers, String pair, JsonNode customers, long now) {
    Map<String, Move> started = moves.computeIfAbsent(pair, p -> new LinkedHashMap<>());
    for (JsonNode id : customers) {
      String ext = id.asText();
      Move earlier = started.get(ext);
      boolean waiting = earlier != null && now < earlier.submittedAt() + takeoverAfter.toMillis();
      if (!waiting) {
        started.put(ext, new Move(now, earlier == null && started.size() == 1));
      }
      answers.addObject().put("external_userid", ext).put("errcode", waiting ? IN_PROGRESS : 0);
    }
  }

  private void results(ObjectNode ok, Map<String, Move> started, long now, boolean resigned) {
    ArrayNode list = ok.putArray("customer");
    started.forEach((ext, move) -> {
      long takeover = move.submittedAt() + takeoverAfter.toMillis();
      boolean over = now >= takeover;
      int status = !over ? 2 : move.refuses() ? 3 : 1;
      list.addObject().put("external_userid", ext).put("status", status)
          .put("takeover_time", status == 3 ? 0 : takeover / 1000);
      if (resigned && status == 1) {
        dimission.remove(ext);
      }
    });
    ok.put("next_cursor", "");
  }

  private void unassigned(ObjectNode ok, long now) {
    // A resigned customer leaves the list once taken over, whether or not anyone asked for the result.
    moves.forEach((pair, started) -> {
      if (pair.startsWith("resigned ")) {
        started.forEach((ext, move) -> {
          if (!move.refuses() && now >= move.submittedAt() + takeoverAfter.toMillis()) {
            dimission.remove(ext);
          }
        });
      }
    });
    ArrayNode info = ok.putArray("info");
    dimission.forEach((ext, at) -> info.addObject().put("handover_userid", DEPARTED).put("external_userid", ext)
        .put("dimission_time", at));
    ok.put("is_last", true).put("next_cursor", "");
  }
}
