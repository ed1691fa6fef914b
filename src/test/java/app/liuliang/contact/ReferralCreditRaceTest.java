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
import java.time.Duration;
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
 * A referrer one friend short of a tier below the next (3 counted; tiers at 1, 3, 5) has two more friends
 * decided at once on two nodes: the second sees the first, so the count reaches 5 and the tier at 5 is
 * earned once, instead of both seeing 4 and the reward never coming.
 */
class ReferralCreditRaceTest {

  private static final int REFERRERS = 15;

  @ParameterizedTest
  @MethodSource("app.liuliang.store.TestStores#kinds")
  void twoFriendsDecidedAtOnceReachTheTierBetweenThem(StoreKind kind) throws Exception {
    Clock clock = Clock.systemUTC();
    try (Database db = TestStores.create(kind)) {
      Jdbi jdbi = db.jdbi();
      ReferralSettings settings = ReferralSettings.load(Path.of("config"), new YamlReader(), new Problems());
      assertThat(settings.programme().reachedAt(5)).isPresent();
      assertThat(settings.programme().reachedAt(4)).isEmpty();
      List<ReferralProgramme> nodes = List.of(programme(db, clock, settings), programme(db, clock, settings));
      ContactRepository contacts = new ContactRepository();
      long referredAt = clock.millis() - Duration.ofDays(4).toMillis();
      ExecutorService racers = Executors.newFixedThreadPool(2);
      try {
        for (int i = 0; i < REFERRERS; i++) {
          String referrer = "wmCreditReferrer" + i;
          List<String> friends = List.of("wmCreditA" + i, "wmCreditB" + i);
          jdbi.useHandle(h -> {
            contacts.upsert(h, referrer, "老患者", "meituan", null, "wkFront", clock.millis());
            for (int counted = 0; counted < 3; counted++) {
              referral(h, referrer + "-old" + counted, referrer, "counted", referredAt);
            }
            for (String friend : friends) {
              contacts.upsert(h, friend, "新朋友", "referral", null, "wkFront", clock.millis());
              referral(h, friend, referrer, "pending", referredAt);
            }
          });
          CountDownLatch go = new CountDownLatch(1);
          List<Future<Boolean>> decisions = new ArrayList<>();
          for (int node = 0; node < 2; node++) {
            ReferralProgramme programme = nodes.get(node);
            String friend = friends.get(node);
            decisions.add(racers.submit(() -> {
              go.await();
              return programme.decide(friend, referrer, referredAt);
            }));
          }
          go.countDown();
          for (Future<Boolean> decision : decisions) {
            assertThat(decision.get()).isTrue();
          }
          List<Integer> tiers = jdbi.withHandle(h -> h.createQuery("SELECT friends FROM referral_rewards "
              + "WHERE referrer_external_userid = :r ORDER BY friends").bind("r", referrer).mapTo(Integer.class).list());
          assertThat(tiers).as(referrer + " rewards").containsExactly(5);
        }
      } finally {
        racers.shutdownNow();
      }
    }
  }

  private static ReferralProgramme programme(Database db, Clock clock, ReferralSettings settings) {
    return new ReferralProgramme(db.jdbi(), new Outbox(db, Json.mapper(), clock), Json.mapper(), clock,
        ZoneId.of("Asia/Shanghai"), settings.programme(), 1000002);
  }

  private static void referral(org.jdbi.v3.core.Handle h, String referee, String referrer, String status, long at) {
    h.createUpdate("INSERT INTO referrals (referee_external_userid, referrer_external_userid, code, created_at, status) "
            + "VALUES (:e, :r, 'code', :at, :s)")
        .bind("e", referee).bind("r", referrer).bind("at", at).bind("s", status).execute();
  }
}
