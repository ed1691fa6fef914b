package app.liuliang.contact;

import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.app.Json;
import app.liuliang.config.Problems;
import app.liuliang.config.YamlReader;
import app.liuliang.store.Database;
import app.liuliang.store.StoreKind;
import app.liuliang.store.TestStores;
import app.liuliang.wecom.Outbox;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A visit and an order for one patient posted at once to two nodes: each counts the other, so the patient
 * ends a repeat customer (two purchases) instead of both stopping at 'ordered' on a count of one.
 */
class PracticeEventRaceTest {

  private static final int PATIENTS = 20;

  @ParameterizedTest
  @MethodSource("app.liuliang.store.TestStores#kinds")
  void twoEventsAtOnceOnTwoNodesBothCount(StoreKind kind) throws Exception {
    Clock clock = Clock.systemUTC();
    try (Database db = TestStores.create(kind)) {
      Jdbi jdbi = db.jdbi();
      TagCatalog catalog = TagCatalog.load(Path.of("config"), new YamlReader(), new Problems());
      knowEveryTag(jdbi, catalog);
      ContactRepository contacts = new ContactRepository();
      List<PracticeEvents> nodes = new ArrayList<>();
      for (int node = 0; node < 2; node++) {
        ContactTagger tagger = new ContactTagger(jdbi, new Outbox(db, Json.mapper(), clock),
            new TagSync(null, jdbi, catalog, clock, "node-" + node), catalog, contacts, Json.mapper(), clock);
        nodes.add(new PracticeEvents(jdbi, contacts, new ContactLayers(jdbi, contacts, tagger, catalog, clock), tagger,
            clock, ZoneId.of("Asia/Shanghai")));
      }
      ExecutorService racers = Executors.newFixedThreadPool(2);
      try {
        for (int patient = 0; patient < PATIENTS; patient++) {
          String ext = "wmEventRace" + patient;
          jdbi.useHandle(h -> contacts.upsert(h, ext, "患者", "meituan", null, "wkFront", clock.millis()));
          CountDownLatch go = new CountDownLatch(1);
          List<Future<PracticeEvents.Outcome>> posts = new ArrayList<>();
          for (String type : List.of("visit", "order")) {
            PracticeEvents node = nodes.get(posts.size());
            posts.add(racers.submit(() -> {
              go.await();
              return node.record(new PracticeEvents.Event(ext, null, type, null, null, null));
            }));
          }
          go.countDown();
          for (Future<PracticeEvents.Outcome> post : posts) {
            post.get();
          }
          int purchases = jdbi.withHandle(h -> contacts.countActivities(h, ext, List.of("visit", "order")));
          String layer = jdbi.withHandle(h -> contacts.find(h, ext).orElseThrow().layer());
          assertThat(purchases).isEqualTo(2);
          assertThat(layer).as(ext).isEqualTo(LayerPolicy.afterPurchase(2));
        }
      } finally {
        racers.shutdownNow();
      }
    }
  }

  private static void knowEveryTag(Jdbi jdbi, TagCatalog catalog) {
    jdbi.useHandle(h -> {
      for (TagCatalog.TagGroup group : catalog.groups()) {
        for (String tag : group.tags()) {
          h.createUpdate("INSERT INTO corp_tags (group_name, tag_name, tag_id) VALUES (:g, :t, :id)")
              .bind("g", group.group()).bind("t", tag).bind("id", "et-" + tag).execute();
        }
      }
    });
  }
}
