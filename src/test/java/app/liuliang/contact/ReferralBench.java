package app.liuliang.contact;

import app.liuliang.testing.MutableClock;
import app.liuliang.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * Benchmark, not part of the suite ({@code scripts/bench.sh referrals}): 10,000 referrals (1,000
 * referrers × 10 friends) decided by the programme's scan, with every reward tier granted and its
 * messages queued. Prints the time; asserts nothing.
 */
class ReferralBench {

  private static final int REFERRERS = Integer.getInteger("bench.referrers", 1000);
  private static final int FRIENDS = Integer.getInteger("bench.friends", 10);

  @Test
  void tenThousandReferrals() throws Exception {
    MutableClock clock = MutableClock.atSystemTime();
    try (TestServer server = TestServer.builder().clock(clock).without("sop", "campaigns", "journeys.yaml").start()) {
      Jdbi jdbi = server.wiring().foundation().database().jdbi();
      long now = clock.millis();
      jdbi.useTransaction(h -> {
        var contacts = h.prepareBatch("INSERT INTO contacts (external_userid, name, channel, added_at, updated_at) "
            + "VALUES (:ext, :name, 'referral', :at, :at)");
        var follows = h.prepareBatch("INSERT INTO contact_follows (external_userid, userid, added_at) "
            + "VALUES (:ext, 'assistant-lily', :at)");
        var referrals = h.prepareBatch("INSERT INTO referrals (referee_external_userid, referrer_external_userid, code, "
            + "created_at) VALUES (:friend, :referrer, 'CODE', :at)");
        for (int r = 0; r < REFERRERS; r++) {
          String referrer = "wmR" + r;
          contacts.bind("ext", referrer).bind("name", "老患者" + r).bind("at", now - 86_400_000L * 90).add();
          follows.bind("ext", referrer).bind("at", now).add();
          for (int f = 0; f < FRIENDS; f++) {
            String friend = "wmF" + r + "x" + f;
            contacts.bind("ext", friend).bind("name", "朋友" + f).bind("at", now).add();
            referrals.bind("friend", friend).bind("referrer", referrer).bind("at", now).add();
          }
        }
        contacts.execute();
        follows.execute();
        referrals.execute();
      });
      clock.advance(Duration.ofDays(4));
      ReferralProgramme programme = server.wiring().features().stream().filter(NewPatients.class::isInstance)
          .map(NewPatients.class::cast).findFirst().orElseThrow().referralProgramme();
      long start = System.nanoTime();
      int counted = 0;
      int scans = 0;
      for (int n; (n = programme.scan()) > 0; scans++) {
        counted += n;
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      long rewards = jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM referral_rewards").mapTo(Long.class).one());
      String out = String.format("bench-referrals: %d referrals decided in %.2f s (%d scans of up to 500, %.0f/s); "
          + "%d rewards granted with their messages queued%n", counted, seconds, scans, counted / seconds, rewards);
      System.out.print(out);
      Files.createDirectories(Path.of("target"));
      Files.writeString(Path.of("target/bench-referrals.txt"), out);
    }
  }
}
