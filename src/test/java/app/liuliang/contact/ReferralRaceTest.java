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
 * Two friends of one patient add the clinic at once, their callbacks on two nodes: both referrals count, the
 * referrer gets the KOC tag once, and the admins hear "entered the top" once, not once per node.
 */
class ReferralRaceTest {

  private static final int REFERRERS = 15;

  @ParameterizedTest
  @MethodSource("app.liuliang.store.TestStores#kinds")
  void twoReferralsAtOnceTellTheAdminsOnce(StoreKind kind) throws Exception {
    Clock clock = Clock.systemUTC();
    try (Database db = TestStores.create(kind)) {
      Jdbi jdbi = db.jdbi();
      TagCatalog catalog = TagCatalog.load(Path.of("config"), new YamlReader(), new Problems());
      jdbi.useHandle(h -> {
        for (TagCatalog.TagGroup group : catalog.groups()) {
          for (String tag : group.tags()) {
            h.createUpdate("INSERT INTO corp_tags (group_name, tag_name, tag_id) VALUES (:g, :t, :id)")
                .bind("g", group.group()).bind("t", tag).bind("id", "et-" + tag).execute();
          }
        }
      });
      ContactRepository contacts = new ContactRepository();
      List<Referrals> nodes = new ArrayList<>();
      for (int node = 0; node < 2; node++) {
        Outbox outbox = new Outbox(db, Json.mapper(), clock);
        ContactTagger tagger = new ContactTagger(jdbi, outbox, new TagSync(null, jdbi, catalog, clock, "node-" + node),
            catalog, contacts, Json.mapper(), clock);
        nodes.add(new Referrals(contacts, tagger, new ContactLayers(jdbi, contacts, tagger, catalog, clock), catalog,
            outbox, Json.mapper(), clock, List.of("wkAdmin"), 1000002));
      }
      ExecutorService racers = Executors.newFixedThreadPool(2);
      try {
        for (int i = 0; i < REFERRERS; i++) {
          String referrer = "wmReferrer" + i;
          List<String> friends = List.of("wmFriendA" + i, "wmFriendB" + i);
          jdbi.useHandle(h -> {
            contacts.upsert(h, referrer, "老患者", "meituan", null, "wkFront", clock.millis());
            for (String friend : friends) {
              contacts.upsert(h, friend, "新朋友", "referral", null, "wkFront", clock.millis());
            }
          });
          CountDownLatch go = new CountDownLatch(1);
          List<Future<Boolean>> records = new ArrayList<>();
          for (int node = 0; node < 2; node++) {
            Referrals referrals = nodes.get(node);
            String friend = friends.get(node);
            records.add(racers.submit(() -> {
              go.await();
              return jdbi.inTransaction(h -> referrals.record(h, friend, referrer, "code" + friend));
            }));
          }
          go.countDown();
          for (Future<Boolean> record : records) {
            assertThat(record.get()).isTrue();
          }
          int counted = jdbi.withHandle(h -> nodes.get(0).countFor(h, referrer));
          int notices = jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM outbox WHERE purpose = 'koc.notify' "
              + "AND idem_key LIKE :key").bind("key", "koc:notify:" + referrer + ":%").mapTo(Integer.class).one());
          List<String> tags = jdbi.withHandle(h -> contacts.tags(h, referrer));
          assertThat(counted).isEqualTo(2);
          assertThat(tags).contains(catalog.kocTag());
          assertThat(notices).as(referrer + " admin notices").isEqualTo(1);
        }
      } finally {
        racers.shutdownNow();
      }
    }
  }
}
