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
 * Layer raises racing on one patient (two nodes, or two threads) never undo each other: the patient ends
 * on the highest layer asked for, and the recorded moves form one unbroken chain upwards.
 */
class LayerRaceTest {

  private static final List<String> ASKED = List.of("potential", "intent", "ordered", "potential", "intent", "ordered",
      "intent", "potential");

  @ParameterizedTest
  @MethodSource("app.liuliang.store.TestStores#kinds")
  void racingRaisesEndOnTheHighestLayerWithAnUnbrokenChain(StoreKind kind) throws Exception {
    Clock clock = Clock.systemUTC();
    try (Database db = TestStores.create(kind)) {
      Jdbi jdbi = db.jdbi();
      TagCatalog catalog = TagCatalog.load(Path.of("config"), new YamlReader(), new Problems());
      ContactRepository contacts = new ContactRepository();
      ContactTagger tagger = new ContactTagger(jdbi, new Outbox(db, Json.mapper(), clock),
          new TagSync(null, jdbi, catalog, clock, "node-test"), catalog, contacts, Json.mapper(), clock);
      // Two nodes: each its own ContactLayers on one store.
      List<ContactLayers> nodes = List.of(new ContactLayers(jdbi, contacts, tagger, catalog, clock),
          new ContactLayers(jdbi, contacts, tagger, catalog, clock));
      ExecutorService racers = Executors.newFixedThreadPool(ASKED.size());
      try {
        for (int patient = 0; patient < 15; patient++) {
          String ext = "wmLayerRace" + patient;
          jdbi.useHandle(h -> contacts.upsert(h, ext, "患者", "meituan", null, "wkFront", clock.millis()));
          CountDownLatch go = new CountDownLatch(1);
          List<Future<Boolean>> raises = new ArrayList<>();
          for (int i = 0; i < ASKED.size(); i++) {
            ContactLayers layers = nodes.get(i % 2);
            String layer = ASKED.get(i);
            raises.add(racers.submit(() -> {
              go.await();
              return jdbi.inTransaction(h -> layers.raiseTo(h, ext, layer, "race"));
            }));
          }
          go.countDown();
          for (Future<Boolean> raise : raises) {
            raise.get();
          }
          String layer = jdbi.withHandle(h -> contacts.find(h, ext).orElseThrow().layer());
          assertThat(layer).as(ext).isEqualTo("ordered");
          List<String[]> moves = jdbi.withHandle(h -> h.createQuery("SELECT from_layer, to_layer FROM layer_changes "
                  + "WHERE external_userid = :ext ORDER BY id").bind("ext", ext)
              .map((rs, ctx) -> new String[] {rs.getString(1), rs.getString(2)}).list());
          assertThat(moves).as(ext + " moves").isNotEmpty();
          assertThat(moves.get(0)[0]).isEqualTo("stranger");
          for (int m = 1; m < moves.size(); m++) {
            assertThat(moves.get(m)[0]).as(ext + " move " + m + " starts where the last ended").isEqualTo(moves.get(m - 1)[1]);
            assertThat(LayerPolicy.isRaise(moves.get(m)[0], moves.get(m)[1])).as(ext + " move " + m + " goes up").isTrue();
          }
          assertThat(moves.get(moves.size() - 1)[1]).isEqualTo("ordered");
        }
      } finally {
        racers.shutdownNow();
      }
    }
  }
}
