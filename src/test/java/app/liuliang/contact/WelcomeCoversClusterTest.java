package app.liuliang.contact;

import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.store.Database;
import app.liuliang.store.StoreKind;
import app.liuliang.store.TestStores;
import app.liuliang.testing.MutableClock;
import app.liuliang.wecom.WeComClient;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** A welcome card's cover is uploaded once for the whole cluster, and its media id serves every node. */
class WelcomeCoversClusterTest {

  private static final String PIC = "media/cover.jpg";
  private static final WelcomeTemplate TEMPLATE = new WelcomeTemplate("yizhen", List.of("yizhen"), null, "您好",
      List.of(new WelcomeTemplate.Attachment(null, null,
          new WelcomeTemplate.Miniprogram("预约", "wxd0e1a2b3c4d5e6f7", "pages/index", PIC, null))), null);

  @ParameterizedTest
  @MethodSource("app.liuliang.store.TestStores#kinds")
  void twoNodesWelcomingAtOnceUploadTheCoverOnce(StoreKind kind) throws Exception {
    MutableClock clock = MutableClock.atSystemTime();
    AtomicInteger uploads = new AtomicInteger();
    WeComClient wecom = slowUploads(uploads);
    try (Database db = TestStores.create(kind)) {
      List<WelcomeCovers> nodes = List.of(new WelcomeCovers(wecom, db.jdbi(), "node-a", Path.of("config"), clock),
          new WelcomeCovers(wecom, db.jdbi(), "node-b", Path.of("config"), clock));
      ExecutorService welcomes = Executors.newFixedThreadPool(8);
      try {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Optional<String>>> ids = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
          WelcomeCovers covers = nodes.get(i % 2);
          ids.add(welcomes.submit(() -> {
            go.await();
            covers.prepare(TEMPLATE);
            return covers.mediaId(PIC);
          }));
        }
        go.countDown();
        for (Future<Optional<String>> id : ids) {
          assertThat(id.get()).contains("MEDIA-1");
        }
        assertThat(uploads.get()).as("one upload for both nodes").isEqualTo(1);

        // Two days on the id is stale for both: again one upload, and a node that never uploaded takes it.
        clock.advance(WelcomeCovers.REUSE_FOR.plusMinutes(1));
        nodes.get(0).prepare(TEMPLATE);
        WelcomeCovers fresh = new WelcomeCovers(wecom, db.jdbi(), "node-c", Path.of("config"), clock);
        fresh.prepare(TEMPLATE);
        assertThat(fresh.mediaId(PIC)).contains("MEDIA-2");
        assertThat(uploads.get()).isEqualTo(2);
      } finally {
        welcomes.shutdownNow();
      }
    }
  }

  /** WeCom's media/upload as far as covers need it: 200 ms a call, a new id each time. */
  private static WeComClient slowUploads(AtomicInteger uploads) {
    return (WeComClient) Proxy.newProxyInstance(WeComClient.class.getClassLoader(), new Class<?>[] {WeComClient.class},
        (proxy, method, args) -> {
          if (!method.getName().equals("uploadMedia")) {
            throw new UnsupportedOperationException(method.getName());
          }
          Thread.sleep(Duration.ofMillis(200).toMillis());
          return "MEDIA-" + uploads.incrementAndGet();
        });
  }
}
