package app.liuliang.testing;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * WeCom as a bad day shows it, for the crash, outage and welcome benchmarks: WireMock with the usual
 * stubs ({@link TestServer#stubWeCom}) and a transformer that keeps the state those tests judge by.
 * <ul>
 *   <li>Welcome codes live 20 s from their event and work once: a used code answers 41051 (also past
 *       its window), an unused dead one 40058 ([U]: WeCom's errcode for an expired code is not
 *       documented; any refusal but 41051 acts the same here).
 *   <li>1:1 broadcasts ({@code add_msg_template}, the welcome fallback) are kept, and
 *       {@code get_groupmsg_list_v2} / {@code get_groupmsg_send_result} answer from them.
 *   <li>Every answer takes {@link #latency} (±25 %), like WeCom over the internet.
 *   <li>{@link #fault} switches the whole API into an outage: busy (45009), HTTP 503 from the gateway
 *       (nothing acted on), stalls (half of the requests acted on, each answered only after
 *       {@link #STALL}, past the client's read timeout), and, by {@link #refuseConnections}, no
 *       listener at all.
 * </ul>
 * What each patient got is counted at the moment WeCom acts, not when it answers.
 */
public final class WeComFake implements AutoCloseable {

  public static final String WELCOME = "/cgi-bin/externalcontact/send_welcome_msg";
  public static final String BROADCAST = "/cgi-bin/externalcontact/add_msg_template";
  private static final String LIST = "/cgi-bin/externalcontact/get_groupmsg_list_v2";
  private static final String SEND_RESULT = "/cgi-bin/externalcontact/get_groupmsg_send_result";
  private static final String CONTACT = "/cgi-bin/externalcontact/get";
  public static final String ADD_WAY = "/cgi-bin/externalcontact/add_contact_way";
  public static final String GET_WAY = "/cgi-bin/externalcontact/get_contact_way";
  public static final String UPDATE_WAY = "/cgi-bin/externalcontact/update_contact_way";
  public static final String DELETE_WAY = "/cgi-bin/externalcontact/del_contact_way";
  public static final String LIST_WAY = "/cgi-bin/externalcontact/list_contact_way";
  public static final Duration CODE_LIFETIME = Duration.ofSeconds(20);
  /** Longer than the client's 5 s read timeout: the caller cannot tell whether WeCom acted. */
  public static final Duration STALL = Duration.ofSeconds(8);

  /** What the whole API does right now. */
  public enum Fault { NONE, BUSY, GATEWAY_503, STALL }

  private record Code(String externalUserId, long issuedAtMillis) {
  }

  private record Broadcast(String msgId, String sender, String text, List<String> externalUserIds, long createTime) {
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final WireMockServer server;
  private final Gate gate;
  private final int port;
  private final Map<String, Code> codes = new ConcurrentHashMap<>();
  private final Set<String> usedCodes = ConcurrentHashMap.newKeySet();
  private final Map<String, AtomicInteger> welcomes = new ConcurrentHashMap<>();
  private final Map<String, Long> welcomedAt = new ConcurrentHashMap<>();
  private final Map<String, String> followStates = new ConcurrentHashMap<>();
  private final Set<String> workAccounts = ConcurrentHashMap.newKeySet();
  private final Map<String, AtomicInteger> broadcasts = new ConcurrentHashMap<>();
  private final List<Broadcast> broadcastLog = new ArrayList<>();
  private final AtomicInteger stalled = new AtomicInteger();
  /** 联系我 codes WeCom holds, by config_id, in creation order. */
  private final Map<String, ObjectNode> ways = java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>());
  private final AtomicInteger wayIds = new AtomicInteger();
  /** An errcode the next add_contact_way calls get instead of a code, or 0. */
  private volatile int refuseAddWay;
  private final AtomicInteger msgIds = new AtomicInteger();
  private volatile Fault fault = Fault.NONE;
  private volatile Duration latency;
  /** Stall every n-th welcome (acted on, answered late) even without a {@link Fault}; 0 for none. */
  private volatile int stallEveryNthWelcome;
  private final AtomicInteger welcomeCalls = new AtomicInteger();

  public WeComFake(Duration latency) {
    this.latency = latency;
    this.server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1")
        .containerThreads(200).jettyAcceptors(2).asynchronousResponseEnabled(true).asynchronousResponseThreads(50)
        .extensions(new State()));
    server.start();
    TestServer.stubWeCom(server);
    server.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(
        com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching("/qr/.*\\.png")).atPriority(1)
        .willReturn(com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(200)
            .withHeader("Content-Type", "image/png").withBody(app.liuliang.sandbox.ContactWayStubs.qrPng())));
    this.gate = new Gate(server.port());
    this.port = gate.port();
  }

  /** The WireMock behind the gate (for verifying requests); the server under test calls {@link #baseUrl}. */
  public WireMockServer wireMock() {
    return server;
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  public void fault(Fault now) {
    this.fault = now;
  }

  public void latency(Duration now) {
    this.latency = now;
  }

  public void stallEveryNthWelcome(int n) {
    this.stallEveryNthWelcome = n;
  }

  /** A connection-refused outage: the listener goes away (answers in flight are cut off), then comes back. */
  public void refuseConnections(boolean refuse) {
    if (refuse) {
      gate.close();
    } else {
      gate.open();
    }
  }

  /** externalcontact/get reports this contact as a WeCom user (type 2), e.g. a staff member's work account. */
  public void workAccount(String externalUserId) {
    workAccounts.add(externalUserId);
  }

  /** The state externalcontact/get reports for this patient's follow (default: meituan). */
  public void followState(String externalUserId, String state) {
    followStates.put(externalUserId, state);
  }

  /** WeCom hands out a welcome code with the add event (its CreateTime). */
  public void issueCode(String code, String externalUserId, long createTimeMillis) {
    codes.put(code, new Code(externalUserId, createTimeMillis));
  }

  /** Welcomes WeCom delivered to this patient. */
  public int welcomesTo(String externalUserId) {
    AtomicInteger n = welcomes.get(externalUserId);
    return n == null ? 0 : n.get();
  }

  /** System.nanoTime() when WeCom delivered this patient's welcome, if it did. */
  public java.util.Optional<Long> welcomedAtNanos(String externalUserId) {
    return java.util.Optional.ofNullable(welcomedAt.get(externalUserId));
  }

  /** 1:1 broadcasts (the welcome's fallback, in these tests) WeCom created for this patient. */
  public int broadcastsTo(String externalUserId) {
    AtomicInteger n = broadcasts.get(externalUserId);
    return n == null ? 0 : n.get();
  }

  /** The 联系我 codes WeCom holds now (config_id → its settings, state included). */
  public Map<String, ObjectNode> contactWays() {
    synchronized (ways) {
      return Map.copyOf(ways);
    }
  }

  /** A code made some other way (by hand in the admin console, or by an earlier run): WeCom just holds it. */
  public String holdContactWay(String state, String remark) {
    ObjectNode way = JSON.createObjectNode().put("type", 1).put("scene", 2).put("state", state).put("remark", remark);
    way.putArray("user").add("assistant-lily");
    return addWay(way);
  }

  /** Until set back to 0, add_contact_way answers this errcode (e.g. 84074, no permission). */
  public void refuseAddContactWay(int errcode) {
    this.refuseAddWay = errcode;
  }

  private String addWay(ObjectNode spec) {
    String configId = "cw" + wayIds.incrementAndGet();
    ObjectNode way = spec.deepCopy().put("config_id", configId).put("qr_code", baseUrl() + "/qr/" + configId + ".png");
    ways.put(configId, way);
    return configId;
  }

  /** Requests answered late on purpose. */
  public int stalled() {
    return stalled.get();
  }

  @Override
  public void close() {
    gate.close();
    gate.pumps.shutdownNow();
    server.stop();
  }

  /**
   * A TCP gate in front of WireMock, so that "no listener" can come and go on one port (WireMock
   * itself does not restart cleanly with asynchronous responses).
   */
  private static final class Gate {
    private final int target;
    private final int port;
    private final java.util.concurrent.ExecutorService pumps = java.util.concurrent.Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "wecom-fake-gate");
      t.setDaemon(true);
      return t;
    });
    private final Set<java.net.Socket> open = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket listener;

    Gate(int target) {
      this.target = target;
      this.port = freePort();
      open();
    }

    int port() {
      return port;
    }

    synchronized void open() {
      if (listener != null) {
        return;
      }
      try {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new java.net.InetSocketAddress("127.0.0.1", port), 512);
        listener = socket;
        pumps.execute(() -> accept(socket));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    synchronized void close() {
      if (listener == null) {
        return;
      }
      try {
        listener.close();
      } catch (IOException ignored) {
        // closing anyway
      }
      listener = null;
      open.forEach(Gate::quietlyClose);
      open.clear();
    }

    private void accept(ServerSocket socket) {
      while (!socket.isClosed()) {
        try {
          java.net.Socket client = socket.accept();
          java.net.Socket upstream = new java.net.Socket("127.0.0.1", target);
          client.setTcpNoDelay(true);
          upstream.setTcpNoDelay(true);
          open.add(client);
          open.add(upstream);
          pumps.execute(() -> pump(client, upstream));
          pumps.execute(() -> pump(upstream, client));
        } catch (IOException e) {
          return;
        }
      }
    }

    private void pump(java.net.Socket from, java.net.Socket to) {
      byte[] buffer = new byte[16 * 1024];
      try {
        java.io.InputStream in = from.getInputStream();
        java.io.OutputStream out = to.getOutputStream();
        for (int n; (n = in.read(buffer)) >= 0; ) {
          out.write(buffer, 0, n);
          out.flush();
        }
      } catch (IOException ignored) {
        // one side went away: close both below
      } finally {
        quietlyClose(from);
        quietlyClose(to);
        open.remove(from);
        open.remove(to);
      }
    }

    private static void quietlyClose(java.net.Socket socket) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // already closed
      }
    }
  }

  private final class State implements ResponseDefinitionTransformerV2 {

    @Override
    public String getName() {
      return "wecom-fake-state";
    }

    @Override
    public ResponseDefinition transform(ServeEvent event) {
      Request request = event.getRequest();
      String path = request.getUrl().replaceFirst("\\?.*", "");
      Fault now = path.equals("/cgi-bin/gettoken") ? Fault.NONE : fault;
      switch (now) {
        case BUSY -> {
          return answer(error(45009, "api freq out of limit"), latency());
        }
        case GATEWAY_503 -> {
          return new ResponseDefinitionBuilder().withStatus(503).withBody("Service Unavailable")
              .withFixedDelay((int) latency().toMillis()).build();
        }
        case STALL -> {
          stalled.incrementAndGet();
          if (ThreadLocalRandom.current().nextBoolean()) {
            return answer(error(-1, "system busy"), STALL);
          }
          return answer(act(path, request, event.getResponseDefinition()), STALL);
        }
        default -> {
          if (path.equals(WELCOME) && stallEveryNthWelcome > 0
              && welcomeCalls.incrementAndGet() % stallEveryNthWelcome == 0) {
            stalled.incrementAndGet();
            return answer(act(path, request, event.getResponseDefinition()), STALL);
          }
          return answer(act(path, request, event.getResponseDefinition()), latency());
        }
      }
    }

    /** Does what WeCom would; null for a path this fake keeps no state for (the stub answers). */
    private Object act(String path, Request request, ResponseDefinition stubbed) {
      try {
        return switch (path) {
          case WELCOME -> welcome(JSON.readTree(request.getBodyAsString()));
          case BROADCAST -> broadcast(JSON.readTree(request.getBodyAsString()));
          case LIST -> list(JSON.readTree(request.getBodyAsString()));
          case SEND_RESULT -> sendResult(JSON.readTree(request.getBodyAsString()));
          case CONTACT -> contact(request.queryParameter("external_userid").firstValue());
          case ADD_WAY, GET_WAY, UPDATE_WAY, DELETE_WAY, LIST_WAY -> contactWay(path, JSON.readTree(request.getBodyAsString()));
          default -> stubbed;
        };
      } catch (IOException e) {
        return error(40058, "invalid json");
      }
    }

    private ObjectNode welcome(JsonNode body) {
      String code = body.path("welcome_code").asText();
      Code issued = codes.get(code);
      if (issued == null) {
        return error(40058, "invalid welcome_code");
      }
      synchronized (usedCodes) {
        if (usedCodes.contains(code)) {
          return error(41051, "customer has already started chatting");
        }
        if (System.currentTimeMillis() > issued.issuedAtMillis() + CODE_LIFETIME.toMillis()) {
          return error(40058, "welcome_code expired");
        }
        usedCodes.add(code);
      }
      welcomes.computeIfAbsent(issued.externalUserId(), k -> new AtomicInteger()).incrementAndGet();
      welcomedAt.putIfAbsent(issued.externalUserId(), System.nanoTime());
      return ok();
    }

    private ObjectNode broadcast(JsonNode body) {
      List<String> to = new ArrayList<>();
      body.path("external_userid").forEach(id -> to.add(id.asText()));
      String msgId = "msg-" + msgIds.incrementAndGet();
      synchronized (broadcastLog) {
        broadcastLog.add(new Broadcast(msgId, body.path("sender").asText(), body.path("text").path("content").asText(),
            to, System.currentTimeMillis() / 1000));
      }
      to.forEach(id -> broadcasts.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet());
      return ok().put("msgid", msgId).set("fail_list", JSON.createArrayNode());
    }

    private ObjectNode list(JsonNode query) {
      ObjectNode page = ok();
      ArrayNode found = page.putArray("group_msg_list");
      long from = query.path("start_time").asLong();
      long to = query.path("end_time").asLong(Long.MAX_VALUE);
      String creator = query.path("creator").asText("");
      synchronized (broadcastLog) {
        for (Broadcast b : broadcastLog) {
          if (b.createTime() >= from && b.createTime() <= to && (creator.isEmpty() || creator.equals(b.sender()))) {
            ObjectNode message = found.addObject().put("msgid", b.msgId()).put("creator", b.sender())
                .put("create_time", b.createTime()).put("create_type", 0);
            message.putObject("text").put("content", b.text());
          }
        }
      }
      return page.put("next_cursor", "");
    }

    private ObjectNode sendResult(JsonNode query) {
      ObjectNode page = ok();
      ArrayNode sent = page.putArray("send_list");
      String msgId = query.path("msgid").asText();
      synchronized (broadcastLog) {
        for (Broadcast b : broadcastLog) {
          if (b.msgId().equals(msgId)) {
            b.externalUserIds().forEach(id -> sent.addObject().put("external_userid", id).put("userid", b.sender())
                .put("status", 0));
          }
        }
      }
      return page.put("next_cursor", "");
    }

    private ObjectNode contactWay(String path, JsonNode body) {
      String configId = body.path("config_id").asText();
      switch (path) {
        case ADD_WAY -> {
          if (refuseAddWay != 0) {
            return error(refuseAddWay, "refused");
          }
          if (body.path("state").asText().length() > 30 || body.path("user").size() > 100) {
            return error(40058, "invalid parameter");
          }
          String id = addWay((ObjectNode) body);
          return ok().put("config_id", id).put("qr_code", ways.get(id).path("qr_code").asText());
        }
        case GET_WAY -> {
          ObjectNode way = ways.get(configId);
          if (way == null) {
            return error(41044, "invalid config_id");
          }
          ObjectNode answer = ok();
          answer.set("contact_way", way.deepCopy());
          return answer;
        }
        case UPDATE_WAY -> {
          ObjectNode way = ways.get(configId);
          if (way == null) {
            return error(41044, "invalid config_id");
          }
          body.fields().forEachRemaining(f -> way.set(f.getKey(), f.getValue()));
          return ok();
        }
        case DELETE_WAY -> {
          return ways.remove(configId) == null ? error(41044, "invalid config_id") : ok();
        }
        default -> {
          // list_contact_way: pages of 2, so callers must follow next_cursor.
          List<String> ids;
          synchronized (ways) {
            ids = new ArrayList<>(ways.keySet());
          }
          int from = body.path("cursor").asText("").isEmpty() ? 0 : Integer.parseInt(body.path("cursor").asText());
          ObjectNode answer = ok();
          ArrayNode page = answer.putArray("contact_way");
          ids.subList(Math.min(from, ids.size()), Math.min(from + 2, ids.size()))
              .forEach(id -> page.addObject().put("config_id", id));
          return answer.put("next_cursor", from + 2 < ids.size() ? String.valueOf(from + 2) : "");
        }
      }
    }

    private ObjectNode contact(String externalUserId) {
      ObjectNode answer = ok();
      answer.putObject("external_contact").put("external_userid", externalUserId).put("name", "患者" + externalUserId)
          .put("type", workAccounts.contains(externalUserId) ? 2 : 1).put("gender", 2);
      answer.putArray("follow_user").addObject().put("userid", "assistant-lily").put("remark", "")
          .put("createtime", 1_700_000_000).put("add_way", 1)
          .put("state", followStates.getOrDefault(externalUserId, "meituan")).putArray("tags");
      return answer;
    }

    private Duration latency() {
      long base = latency.toMillis();
      return base == 0 ? Duration.ZERO
          : Duration.ofMillis(ThreadLocalRandom.current().nextLong(base * 3 / 4, base * 5 / 4 + 1));
    }

    private ResponseDefinition answer(Object what, Duration delay) {
      ResponseDefinitionBuilder builder = what instanceof ResponseDefinition stubbed
          ? ResponseDefinitionBuilder.like(stubbed).but()
          : new ResponseDefinitionBuilder().withStatus(200).withHeader("Content-Type", "application/json")
              .withBody(what.toString());
      return builder.withFixedDelay((int) delay.toMillis()).build();
    }
  }

  private static ObjectNode ok() {
    return JSON.createObjectNode().put("errcode", 0).put("errmsg", "ok");
  }

  private static ObjectNode error(int code, String message) {
    return JSON.createObjectNode().put("errcode", code).put("errmsg", message);
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
