package app.liuliang.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import com.github.tomakehurst.wiremock.client.WireMock;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import app.liuliang.app.Settings;
import app.liuliang.app.Wiring;
import app.liuliang.callback.CallbackCrypto;
import app.liuliang.config.Problems;
import app.liuliang.sandbox.CallbackSimulator;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * A real Liuliang server for integration tests: port 0, a fresh store in a temp folder, a config
 * folder of the test's choosing, and WireMock standing in for WeCom (as a real corp would be
 * configured: {@code WECOM_API_BASE_URL}). Given/when/then reads as: write config, start, post a
 * signed callback, verify WireMock.
 *
 * <pre>
 * try (TestServer server = TestServer.builder().configFrom("config").start()) {
 *   server.postCallback(CallbackSimulator.addExternalContact(...));
 *   server.awaitUntil(() -> server.wecom().countRequestsMatching(...) == 1);
 * }
 * </pre>
 */
public final class TestServer implements AutoCloseable {

  public static final String CORP_ID = "wwtestcorp0000001";
  public static final String TOKEN = "QDG6eK";
  public static final String AES_KEY = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
  public static final String ADMIN_TOKEN = "test-admin-token";

  private final WireMockServer wecom;
  private final Path dataDir;
  private final Path configDir;
  private final MutableClock clock;
  private final Map<String, String> env;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final CallbackSimulator simulator;
  private final boolean ownsWeCom;
  private Wiring wiring;

  private TestServer(Builder b) throws Exception {
    this.ownsWeCom = b.wecom == null;
    this.wecom = b.wecom != null ? b.wecom : startWeCom();
    this.dataDir = b.dataDir != null ? b.dataDir : Files.createTempDirectory("liuliang-data");
    this.configDir = b.configDir;
    this.clock = b.clock;
    this.env = new HashMap<>(Map.of(
        Settings.CORP_ID, CORP_ID, Settings.AGENT_ID, "1000002", Settings.SECRET, "test-secret",
        Settings.TOKEN, TOKEN, Settings.AES_KEY, AES_KEY, Settings.API_BASE_URL, "http://127.0.0.1:" + wecom.port(),
        Settings.PORT, "0", Settings.DATA_DIR, dataDir.toString(), Settings.CONFIG_DIR, configDir.toString(),
        Settings.ADMIN_TOKEN, ADMIN_TOKEN));
    this.env.putAll(b.extraEnv);
    this.simulator = new CallbackSimulator(new CallbackCrypto(TOKEN, AES_KEY, CORP_ID), clock);
    start();
  }

  /** A WireMock that answers like WeCom: a token, and errcode 0 for anything not stubbed. */
  public static WireMockServer startWeCom() {
    WireMockServer server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    server.start();
    return stubWeCom(server);
  }

  /** The stubs of {@link #startWeCom}, on a WireMock of the caller's making (e.g. {@link WeComFake}). */
  public static WireMockServer stubWeCom(WireMockServer server) {
    server.stubFor(any(urlPathMatching("/cgi-bin/.*")).atPriority(10).willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\"}")));
    server.stubFor(WireMock.get(urlPathEqualTo("/cgi-bin/gettoken")).atPriority(1)
        .willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\",\"access_token\":\"TOKEN-1\",\"expires_in\":7200}")));
    // Tags as WeCom keeps them: none at first; add_corp_tag answers each new tag with id "tag-<name>".
    server.stubFor(WireMock.post(urlPathEqualTo("/cgi-bin/externalcontact/get_corp_tag_list")).atPriority(9)
        .willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\",\"tag_group\":[]}")));
    server.stubFor(WireMock.post(urlPathEqualTo("/cgi-bin/externalcontact/add_corp_tag")).atPriority(9)
        .willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\",\"tag_group\":{\"group_id\":\"grp-{{jsonPath request.body '$.group_name'}}\","
            + "\"group_name\":\"{{jsonPath request.body '$.group_name'}}\",\"tag\":["
            + "{{#each (jsonPath request.body '$.tag') as |t|}}{{#if @index}},{{/if}}{\"id\":\"tag-{{t.name}}\",\"name\":\"{{t.name}}\"}{{/each}}]}}")
            .withTransformers("response-template")));
    // kf customers WeCom knows nothing about: no nickname, so names stay as each test seeded them.
    server.stubFor(WireMock.post(urlPathEqualTo("/cgi-bin/kf/customer/batchget")).atPriority(9)
        .willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\",\"customer_list\":[],\"invalid_external_userid\":["
            + "{{#each (jsonPath request.body '$.external_userid_list') as |id|}}{{#if @index}},{{/if}}\"{{id}}\"{{/each}}]}")
            .withTransformers("response-template")));
    return server;
  }

  /** Starts (or restarts, on the same store) the server. */
  public void start() throws Exception {
    Problems problems = new Problems();
    Settings settings = Settings.load(env, problems);
    problems.throwIfAny();
    wiring = Wiring.start(settings, clock);
  }

  /** Stops the server, keeping the store and WireMock: a crash-and-restart in two calls. */
  public void stop() {
    if (wiring != null) {
      wiring.close();
      wiring = null;
    }
  }

  public void restart() throws Exception {
    stop();
    start();
  }

  public Wiring wiring() {
    return wiring;
  }

  public WireMockServer wecom() {
    return wecom;
  }

  public MutableClock clock() {
    return clock;
  }

  public Path dataDir() {
    return dataDir;
  }

  public Path configDir() {
    return configDir;
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + wiring.port();
  }

  public CallbackSimulator simulator() {
    return simulator;
  }

  /** Signs, encrypts and posts a plaintext callback as WeCom would; returns the response. */
  public HttpResponse<String> postCallback(String plainXml) throws Exception {
    return simulator.post(http, baseUrl(), simulator.sign(plainXml));
  }

  public HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path)).GET();
    if (headers.length > 0) {
      request.headers(headers);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  public HttpResponse<String> post(String path, String body, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path))
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** JSON bodies the server POSTed to WeCom's {@code path}, oldest first. */
  public List<com.fasterxml.jackson.databind.JsonNode> sentTo(String path) {
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    return wecom.getAllServeEvents().stream()
        .filter(e -> e.getRequest().getUrl().startsWith(path + "?") || e.getRequest().getUrl().equals(path))
        .sorted(java.util.Comparator.comparing((com.github.tomakehurst.wiremock.stubbing.ServeEvent e) ->
            e.getRequest().getLoggedDate()))
        .map(e -> {
          String body = e.getRequest().getBodyAsString();
          try {
            return json.readTree(body == null || body.isEmpty() ? "{}" : body);
          } catch (IOException ex) {
            throw new UncheckedIOException(ex);
          }
        }).toList();
  }

  /** Rows of a query on the server's store, positional {@code ?} arguments. */
  public List<Map<String, Object>> rows(String sql, Object... args) {
    return wiring.foundation().database().jdbi().withHandle(h -> {
      var q = h.createQuery(sql);
      for (int i = 0; i < args.length; i++) {
        q.bind(i, args[i]);
      }
      return q.mapToMap().list();
    });
  }

  /** The admin Authorization header, for {@link #get} and {@link #post}. */
  public static String[] admin() {
    return new String[] {"Authorization", "Bearer " + ADMIN_TOKEN};
  }

  public HttpClient http() {
    return http;
  }

  /**
   * Waits (polling, up to 30 s) until the condition holds: the workers run on their own threads.
   * This is waiting for work to finish, not a timing assertion.
   */
  public static void awaitUntil(BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 30 s (a loaded machine is slow, a broken one never gets there)");
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  @Override
  public void close() {
    stop();
    if (ownsWeCom) {
      wecom.stop();
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Copies a config folder (e.g. the shipped {@code config}) to a temp folder the test may edit. */
  /** Writes {@code sop/<week>.yaml} into a config folder from its week template; returns the file. */
  public static Path writeWeekPlan(Path configDir, String week) {
    Path plan = configDir.resolve("sop").resolve(week + ".yaml");
    try {
      Files.writeString(plan, app.liuliang.sop.WeekTemplate.render(configDir, week));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return plan;
  }

  /** Copies the shipped example campaign into a config folder's campaigns/ (where it is loaded); returns the file. */
  public static Path addExampleCampaign(Path configDir) {
    Path campaign = configDir.resolve("campaigns/winter-cleaning.yaml");
    try {
      Files.copy(configDir.resolve("campaigns/templates/winter-cleaning.yaml"), campaign);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return campaign;
  }

  /** The shipped config copied, without these files or folders: what server processes in tests are given. */
  public static Path copyConfigWithout(String... relativePaths) {
    Path config = copyConfig(Path.of("config"));
    leaveOut(config, relativePaths);
    return config;
  }

  private static void leaveOut(Path configDir, String... relativePaths) {
    for (String relative : relativePaths) {
      Path target = configDir.resolve(relative);
      try (Stream<Path> files = Files.exists(target) ? Files.walk(target) : Stream.empty()) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  public static Path copyConfig(Path from) {
    try {
      Path to = Files.createTempDirectory("liuliang-config");
      try (Stream<Path> files = Files.walk(from)) {
        for (Path file : (Iterable<Path>) files::iterator) {
          Path target = to.resolve(from.relativize(file).toString());
          if (Files.isDirectory(file)) {
            Files.createDirectories(target);
          } else {
            Files.copy(file, target);
          }
        }
      }
      return to;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Options for a {@link TestServer}. */
  public static final class Builder {
    private Path configDir;
    private Path dataDir;
    private WireMockServer wecom;
    private MutableClock clock = MutableClock.atSystemTime();
    private final Map<String, String> extraEnv = new HashMap<>();

    /** A private copy of a config folder; the default is a copy of the shipped {@code config/}. */
    public Builder configFrom(Path folder) {
      this.configDir = copyConfig(folder);
      return this;
    }

    public Builder configDir(Path folder) {
      this.configDir = folder;
      return this;
    }

    public Builder dataDir(Path folder) {
      this.dataDir = folder;
      return this;
    }

    public Builder wecom(WireMockServer server) {
      this.wecom = server;
      return this;
    }

    /** The stateful fake; the server calls it through its gate (so connections can be refused). */
    public Builder wecom(WeComFake fake) {
      this.wecom = fake.wireMock();
      return env(Settings.API_BASE_URL, fake.baseUrl());
    }

    public Builder clock(MutableClock clock) {
      this.clock = clock;
      return this;
    }

    /**
     * Leaves files or folders of the copied config out, e.g. {@code "sop", "campaigns"} for a test
     * that seeds its own SOP rows and must not see the shipped example week.
     */
    public Builder without(String... relativePaths) {
      if (configDir == null) {
        configDir = copyConfig(Path.of("config"));
      }
      leaveOut(configDir, relativePaths);
      return this;
    }

    /** Adds the shipped week template, filled in for {@code week}, as that week's plan. */
    public Builder weekPlan(String week) {
      if (configDir == null) {
        configDir = copyConfig(Path.of("config"));
      }
      writeWeekPlan(configDir, week);
      return this;
    }

    public Builder env(String name, String value) {
      extraEnv.put(name, value);
      return this;
    }

    public TestServer start() throws Exception {
      if (configDir == null) {
        configDir = copyConfig(Path.of("config"));
      }
      return new TestServer(this);
    }
  }

  /** A plain WeCom error answer, for stubbing failures. */
  public static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder errcode(int code, String message) {
    return aResponse().withStatus(200).withHeader("Content-Type", "application/json")
        .withBody("{\"errcode\":" + code + ",\"errmsg\":\"" + message + "\"}");
  }
}
