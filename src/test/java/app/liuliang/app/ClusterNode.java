package app.liuliang.app;

import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.config.Problems;
import app.liuliang.config.YamlReader;
import app.liuliang.store.Database;
import app.liuliang.testing.MutableClock;
import app.liuliang.testing.TestServer;
import app.liuliang.wecom.Outbox;
import app.liuliang.wecom.WxJavaWeComClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;

/**
 * One node's features, built as {@link Wiring} builds them, on a store and a WeCom shared with other nodes, but not
 * started: no timer fires, so a test runs each node's periodic jobs by hand, in rounds, with its clock. No outbox
 * worker either: what a job sends stays in the outbox, where the tests count it (the outbox's own tests show each
 * row goes out once across nodes).
 */
public final class ClusterNode implements AutoCloseable {

  private final Foundation foundation;
  private final List<Feature> features;

  private ClusterNode(Foundation foundation, List<Feature> features) {
    this.foundation = foundation;
    this.features = features;
  }

  /** Node {@code nodeId} on {@code database}, its WeCom at {@code wecomBaseUrl}, its config {@code configDir}. */
  public static ClusterNode of(String nodeId, Database database, String wecomBaseUrl, Path configDir, MutableClock clock)
      throws Exception {
    Map<String, String> env = new HashMap<>(Map.of(
        Settings.CORP_ID, TestServer.CORP_ID, Settings.AGENT_ID, "1000002", Settings.SECRET, "test-secret",
        Settings.TOKEN, TestServer.TOKEN, Settings.AES_KEY, TestServer.AES_KEY, Settings.API_BASE_URL, wecomBaseUrl,
        Settings.PORT, "0", Settings.DATA_DIR, Files.createTempDirectory("node-data").toString(),
        Settings.CONFIG_DIR, configDir.toString(), Settings.ADMIN_TOKEN, TestServer.ADMIN_TOKEN));
    env.put(Settings.NODE_ID, nodeId);
    Problems problems = new Problems();
    Settings settings = Settings.load(env, problems);
    YamlReader yaml = new YamlReader();
    FeatureConfigs configs = FeatureConfigs.load(configDir, yaml, problems);
    problems.throwIfAny();
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    WxJavaWeComClient client = new WxJavaWeComClient(settings.wecom(), database.jdbi(), clock, Json.mapper(), meters);
    Foundation foundation = new Foundation(settings, database, clock, Json.mapper(), yaml, client,
        new Outbox(database, Json.mapper(), clock), meters);
    return new ClusterNode(foundation, configs.createFeatures(foundation));
  }

  /**
   * Two nodes' ticks of one periodic job at the same moment, on two threads: exactly one of them must run it.
   * True when the first one did.
   */
  public static boolean together(ExecutorService threads, BooleanSupplier first, BooleanSupplier second)
      throws Exception {
    CountDownLatch go = new CountDownLatch(1);
    Future<Boolean> one = threads.submit(() -> {
      go.await();
      return first.getAsBoolean();
    });
    Future<Boolean> other = threads.submit(() -> {
      go.await();
      return second.getAsBoolean();
    });
    go.countDown();
    boolean ranFirst = one.get();
    assertThat(ranFirst ^ other.get()).as("exactly one node ran the tick").isTrue();
    return ranFirst;
  }

  public Foundation foundation() {
    return foundation;
  }

  public <T extends Feature> T feature(Class<T> kind) {
    return features.stream().filter(kind::isInstance).map(kind::cast).findFirst().orElseThrow();
  }

  /** The node stops as a server does (its interval jobs released); a node that dies is simply never called again. */
  @Override
  public void close() throws Exception {
    for (int i = features.size() - 1; i >= 0; i--) {
      features.get(i).close();
    }
  }
}
