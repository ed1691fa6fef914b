package app.liuliang.app;

import app.liuliang.callback.CallbackCrypto;
import app.liuliang.callback.CallbackHandler;
import app.liuliang.callback.CallbackRoutes;
import app.liuliang.callback.EventDispatcher;
import app.liuliang.callback.Inbox;
import app.liuliang.config.Problems;
import app.liuliang.config.YamlReader;
import app.liuliang.sandbox.SandboxWeCom;
import app.liuliang.sop.SopFeature;
import app.liuliang.store.DataDirLock;
import app.liuliang.store.Database;
import app.liuliang.store.Node;
import app.liuliang.store.NodeRegistry;
import app.liuliang.retry.Backoff;
import app.liuliang.wecom.Outbox;
import app.liuliang.wecom.OutboxGuard;
import app.liuliang.wecom.OutboxListener;
import app.liuliang.wecom.OutboxWorker;
import app.liuliang.wecom.WeComClient;
import app.liuliang.wecom.WxJavaWeComClient;
import app.liuliang.web.AdminAuth;
import app.liuliang.web.ClientAddress;
import app.liuliang.web.HealthRoutes;
import app.liuliang.web.HttpEdge;
import app.liuliang.web.Routes;
import app.liuliang.web.SandboxRoutes;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only place that constructs services. Start order: config (fail fast), store, sandbox,
 * WeCom client, outbox, features, inbox, HTTP. Stop order is the reverse.
 */
public final class Wiring implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Wiring.class);

  private final List<AutoCloseable> toClose = new ArrayList<>();
  private final Foundation foundation;
  private final Optional<SandboxWeCom> sandbox;
  private final List<Feature> features;
  private final Javalin http;
  private volatile boolean ready;

  private Wiring(Settings settings, Clock clock) throws Exception {
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ObjectMapper json = Json.mapper();
    YamlReader yaml = new YamlReader();

    Problems problems = new Problems();
    FeatureConfigs configs = FeatureConfigs.load(settings.configDir(), yaml, problems);
    problems.throwIfAny();
    problems.warnings().forEach(w -> log.warn("config warning: {}", w));

    // Held while the server runs, released last: `liuliang store restore` refuses a folder in use.
    Files.createDirectories(settings.dataDir());
    closing(DataDirLock.acquire(settings.dataDir()));
    Database database = closing(Database.open(settings.store()));
    Node node = new Node(settings.nodeId());
    WeComCredentials credentials = settings.wecom();
    if (credentials.sandbox()) {
      SandboxWeCom fake = closing(new SandboxWeCom(0));
      credentials = credentials.withApiBaseUrl(fake.baseUrl());
      sandbox = Optional.of(fake);
    } else {
      sandbox = Optional.empty();
    }
    Settings effective = settings.withWeCom(credentials);
    log.info("node {} starting with {}, store {}, data {}, config {}", settings.nodeId(), credentials,
        settings.store(), settings.dataDir(), settings.configDir());

    WxJavaWeComClient client = new WxJavaWeComClient(credentials, database.jdbi(), clock, json, meters,
        settings.app().wecom().maxCallsPerMinute());
    if (database.isPostgres()) {
      // An SQLite store has one node by construction (the data folder's lock): nothing to share, no heartbeat.
      closing(new NodeRegistry(database.jdbi(), node, clock, client::shareQuotaAmong));
    }
    Outbox outbox = new Outbox(database, json, clock);
    foundation = new Foundation(effective, database, clock, json, yaml, client, outbox, meters);

    features = configs.createFeatures(foundation);
    features.forEach(this::closing);

    List<CallbackHandler> handlers = new ArrayList<>();
    List<OutboxGuard> guards = new ArrayList<>();
    List<OutboxListener> listeners = new ArrayList<>();
    for (Feature feature : features) {
      handlers.addAll(feature.callbackHandlers());
      guards.addAll(feature.outboxGuards());
      listeners.addAll(feature.outboxListeners());
    }
    AppConfig.Outbox outboxConfig = settings.app().outbox();
    closing(new OutboxWorker(outbox, node, client, guards, listeners, OutboxWorker.standardChecks(client, json, clock), clock,
        new OutboxWorker.Settings(outboxConfig.workers(), outboxConfig.maxAttempts(),
            new Backoff(outboxConfig.baseBackoff(), outboxConfig.maxBackoff()), outboxConfig.checkUnknownFor()),
        meters));
    AppConfig.Callback callbackConfig = settings.app().callback();
    Inbox inbox = closing(new Inbox(database, node, new EventDispatcher(handlers), clock,
        callbackConfig.workers(), callbackConfig.maxAttempts(), meters));

    for (Feature feature : features) {
      feature.start();
    }

    CallbackCrypto crypto = new CallbackCrypto(credentials.token(), credentials.aesKey(), credentials.corpId());
    List<Routes> routes = new ArrayList<>();
    routes.add(new HttpEdge(meters, clock));
    routes.add(new CallbackRoutes(crypto, inbox, clock, callbackConfig.maxClockSkewSeconds(),
        settings.app().server().maxCallbackBytes(), meters)::addTo);
    AdminAuth auth = new AdminAuth(settings.adminToken(), new ClientAddress(settings.app().server().trustedProxies()),
        database.jdbi(), clock, meters);
    routes.add(new HealthRoutes(() -> ready, meters,
        settings.app().metrics().requireToken() ? Optional.of(auth) : Optional.empty()));
    sandbox.ifPresent(fake -> routes.add(new SandboxRoutes(fake)));
    sandbox.ifPresent(fake -> routes.add(new app.liuliang.web.KfSandboxRoutes(app.liuliang.sandbox.KfStubs.install(fake))));
    sandbox.ifPresent(fake -> routes.add(new app.liuliang.web.GroupSandboxRoutes(app.liuliang.sandbox.GroupStubs.install(fake))));
    routes.addAll(configs.createRoutes(foundation, auth, features, sandbox));

    http = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.jsonMapper(new JavalinJackson(json, false));
      config.http.maxRequestSize = Math.max(1_048_576L, settings.app().server().maxCallbackBytes());
      // Bounded, so memory is too. Callbacks do not hold a thread while their group commit is on the way.
      QueuedThreadPool threads = new QueuedThreadPool(settings.app().server().maxThreads(), 8, 60_000);
      threads.setName("http");
      config.jetty.threadPool = threads;
      // Past this many open connections Jetty stops accepting (they wait in the kernel's backlog): a flood of
      // callbacks then costs latency, not the heap. Without it 4,000 connections exhausted a 160 MB heap.
      int maxConnections = settings.app().server().maxConnections();
      config.jetty.modifyServer(server -> server.addBean(new NetworkConnectionLimit(maxConnections, server)));
      routes.forEach(r -> r.addTo(config.routes));
    });
    http.start(settings.port());
    ready = true;
  }

  /** Starts everything; throws {@link app.liuliang.config.ConfigException} on bad config. */
  public static Wiring start(Settings settings, Clock clock) throws Exception {
    return new Wiring(settings, clock);
  }

  /** Checks every config file without starting anything: what {@code liuliang validate} runs. */
  public static Problems validate(Settings settings) {
    Problems problems = new Problems();
    YamlReader yaml = new YamlReader();
    FeatureConfigs configs = FeatureConfigs.load(settings.configDir(), yaml, problems);
    // Week plans and campaigns never stop start-up (a bad one keeps the running plan), but validate checks
    // them, every file in the same run: a broken accounts.yaml or sop.yaml only skips the checks that need it.
    {
      try {
        SopFeature.validatePlans(settings.configDir(), SopFeature.planFiles(settings.configDir()), yaml,
            configs.accounts, configs.tags, configs.groups == null ? null : configs.groups.names(),
            configs.sop != null ? configs.sop.settings() : app.liuliang.sop.SopSettings.defaults(),
            settings.app().timezone(), problems);
      } catch (UncheckedIOException e) {
        problems.add(settings.configDir().resolve("sop"), 1, 1, "cannot list the plan files: " + e.getMessage(), "");
      }
    }
    return problems;
  }

  private <T extends AutoCloseable> T closing(T resource) {
    toClose.add(resource);
    return resource;
  }

  public int port() {
    return http.port();
  }

  public boolean isReady() {
    return ready;
  }

  public Foundation foundation() {
    return foundation;
  }

  public Optional<SandboxWeCom> sandbox() {
    return sandbox;
  }

  public List<Feature> features() {
    return features;
  }

  @Override
  public void close() {
    ready = false;
    http.stop();
    for (int i = toClose.size() - 1; i >= 0; i--) {
      try {
        toClose.get(i).close();
      } catch (Exception e) {
        log.warn("error while stopping {}", toClose.get(i).getClass().getSimpleName(), e);
      }
    }
  }
}
