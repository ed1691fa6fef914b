package app.liuliang.contact;

import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.testing.MutableClock;
import app.liuliang.testing.TestServer;
import app.liuliang.web.console.ConsoleClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * 拉新有礼 with the shipped referral.yaml (1 → 洁牙券, 3 → 儿童免费涂氟, 5 → VIP; counts after 3 days):
 * which friends count, the tier rewards and who hears of them, progress news at most daily, redemption
 * at the front desk; nothing granted twice however often the scan runs.
 */
class ReferralProgrammeIT {

  @Test
  void friendsCountAfterThreeDaysOnlyIfNewAndStillThereAndRewardsAreGrantedOnceAndRedeemed() throws Exception {
    MutableClock clock = MutableClock.atSystemTime();
    try (TestServer server = TestServer.builder().clock(clock).start()) {
      Jdbi jdbi = server.wiring().foundation().database().jdbi();
      ReferralProgramme programme = programme(server);
      long now = clock.millis();
      contact(jdbi, "wmKoc", "周女士", now - Duration.ofDays(90).toMillis(), "active");
      contact(jdbi, "wmF1", "朋友一", now, "active");
      contact(jdbi, "wmF2", "朋友二", now, "active");
      contact(jdbi, "wmGone", "删了的", now, "active");
      contact(jdbi, "wmOld", "老相识", now - Duration.ofDays(40).toMillis(), "active");
      for (String friend : List.of("wmF1", "wmF2", "wmGone", "wmOld")) {
        refer(jdbi, friend, "wmKoc", now);
      }

      clock.advance(Duration.ofDays(2));
      jdbi.useHandle(h -> h.execute("UPDATE contacts SET status = 'lost' WHERE external_userid = 'wmGone'"));
      assertThat(programme.scan()).as("not 3 days yet").isZero();
      clock.advance(Duration.ofDays(1).plusMinutes(1));
      assertThat(programme.scan()).isEqualTo(2);
      assertThat(programme.scan()).as("decided once").isZero();

      assertThat(status(jdbi, "wmF1")).isEqualTo("counted");
      assertThat(status(jdbi, "wmGone")).as("deleted us within the 3 days").isEqualTo("dropped");
      assertThat(status(jdbi, "wmOld")).as("knew the clinic before").isEqualTo("dropped");
      ReferralProgramme.Progress progress = programme.progressOf("wmKoc");
      assertThat(progress.counted()).isEqualTo(2);
      assertThat(progress.nextReward()).isEqualTo("儿童免费涂氟");
      assertThat(progress.remaining()).isEqualTo(1);

      // The first friend earned tier 1: the referrer's message from their own assistant, the desk's notice.
      TestServer.awaitUntil(() -> "notified".equals(one(jdbi,
          "SELECT status FROM referral_rewards WHERE referrer_external_userid = 'wmKoc' AND friends = 1")));
      assertThat(one(jdbi, "SELECT body FROM outbox WHERE purpose = 'referral.reward'")).contains("洁牙券")
          .contains("\"sender\":\"assistant-lily\"").contains("wmKoc");
      assertThat(one(jdbi, "SELECT body FROM outbox WHERE purpose = 'referral.desk'")).contains("周女士").contains("洁牙券");
      // The second friend is below the next tier: progress news, at most one a day.
      assertThat(one(jdbi, "SELECT body FROM outbox WHERE purpose = 'referral.progress'")).contains("朋友二")
          .contains("再邀请 1 位").contains("儿童免费涂氟");

      contact(jdbi, "wmF3", "朋友三", clock.millis(), "active");
      refer(jdbi, "wmF3", "wmKoc", clock.millis());
      clock.advance(Duration.ofDays(4));
      programme.scan();
      assertThat(count(jdbi, "SELECT COUNT(*) FROM referral_rewards WHERE referrer_external_userid = 'wmKoc'")).isEqualTo(2);
      assertThat(count(jdbi, "SELECT COUNT(*) FROM outbox WHERE purpose = 'referral.reward'")).isEqualTo(2);

      ConsoleClient desk = new ConsoleClient(server);
      desk.login(TestServer.ADMIN_TOKEN);
      String page = desk.get("/admin/referrals").body();
      assertThat(page).contains("推荐奖励").contains("儿童免费涂氟").contains("已兑现").contains("再 2 位：VIP 会员");
      String csrf = desk.csrfFrom("/admin/referrals");
      assertThat(desk.postForm("/admin/referrals/wmKoc/rewards/1/redeem", "csrf=" + csrf).statusCode()).isEqualTo(303);
      assertThat(one(jdbi, "SELECT status FROM referral_rewards WHERE referrer_external_userid = 'wmKoc' AND friends = 1"))
          .isEqualTo("redeemed");
      assertThat(programme.redeem("wmKoc", 1, "again")).as("once").isFalse();
      assertThat(desk.postForm("/admin/referrals/wmKoc/rewards/3/redeem", "csrf=forged").statusCode()).isEqualTo(403);
    }
  }

  @Test
  void withRequiresVisitAFriendWaitsForTheirFirstVisit() throws Exception {
    MutableClock clock = MutableClock.atSystemTime();
    Path config = TestServer.copyConfig(Path.of("config"));
    Path file = config.resolve("referral.yaml");
    Files.writeString(file, Files.readString(file).replace("requires_visit: false", "requires_visit: true"));
    try (TestServer server = TestServer.builder().clock(clock).configDir(config).start()) {
      Jdbi jdbi = server.wiring().foundation().database().jdbi();
      ReferralProgramme programme = programme(server);
      contact(jdbi, "wmKoc", "周女士", clock.millis() - Duration.ofDays(90).toMillis(), "active");
      contact(jdbi, "wmF1", "朋友一", clock.millis(), "active");
      refer(jdbi, "wmF1", "wmKoc", clock.millis());
      clock.advance(Duration.ofDays(5));

      assertThat(programme.scan()).isZero();
      assertThat(status(jdbi, "wmF1")).isEqualTo("pending");
      jdbi.useHandle(h -> h.execute("INSERT INTO contact_activities (external_userid, type, subtype, amount, at) "
          + "VALUES ('wmF1', 'visit', 'cleaning', 0, ?)", clock.millis()));
      assertThat(programme.scan()).isEqualTo(1);
    }
  }

  @Test
  void throughRealAddsAFriendCountsOnceNeverForThemselvesAndNeverAsAWorkAccount() throws Exception {
    MutableClock clock = MutableClock.atSystemTime();
    try (app.liuliang.testing.WeComFake wecom = new app.liuliang.testing.WeComFake(Duration.ZERO);
        TestServer server = TestServer.builder().clock(clock).wecom(wecom).start()) {
      Jdbi jdbi = server.wiring().foundation().database().jdbi();
      contact(jdbi, "wmKoc", "周女士", clock.millis() - Duration.ofDays(90).toMillis(), "active");
      jdbi.useHandle(h -> h.execute("UPDATE contacts SET referral_code = 'KOC001' WHERE external_userid = 'wmKoc'"));
      contact(jdbi, "wmOther", "另一位", clock.millis() - Duration.ofDays(90).toMillis(), "active");
      jdbi.useHandle(h -> h.execute("UPDATE contacts SET referral_code = 'OTH002' WHERE external_userid = 'wmOther'"));
      wecom.workAccount("wmStaff");

      add(server, wecom, "wmFriend", "ref:KOC001", "c1");
      // The fake answers externalcontact/get with the latest state: let the first add be handled first.
      TestServer.awaitUntil(() -> count(jdbi, "SELECT COUNT(*) FROM referrals WHERE referee_external_userid = 'wmFriend'") == 1);
      add(server, wecom, "wmFriend", "ref:OTH002", "c2");   // the same friend through a second code
      add(server, wecom, "wmKoc", "ref:KOC001", "c3");      // the referrer scans their own code
      add(server, wecom, "wmStaff", "ref:KOC001", "c4");    // a colleague tries the code from WeCom
      TestServer.awaitUntil(() -> count(jdbi, "SELECT COUNT(*) FROM inbox WHERE status = 'pending'") == 0
          && count(jdbi, "SELECT COUNT(*) FROM referrals WHERE referee_external_userid = 'wmStaff'") == 1
          && count(jdbi, "SELECT COUNT(*) FROM contacts WHERE external_userid = 'wmStaff' AND wecom_account = 1") == 1);

      assertThat(count(jdbi, "SELECT COUNT(*) FROM referrals WHERE referee_external_userid = 'wmFriend'")).isEqualTo(1);
      assertThat(one(jdbi, "SELECT referrer_external_userid FROM referrals WHERE referee_external_userid = 'wmFriend'"))
          .isEqualTo("wmKoc");
      assertThat(count(jdbi, "SELECT COUNT(*) FROM referrals WHERE referee_external_userid = 'wmKoc'")).isZero();
      clock.advance(Duration.ofDays(3).plusMinutes(5));
      programme(server).scan();

      assertThat(status(jdbi, "wmFriend")).isEqualTo("counted");
      assertThat(status(jdbi, "wmStaff")).isEqualTo("dropped");
      assertThat(programme(server).progressOf("wmKoc").counted()).isEqualTo(1);
      assertThat(programme(server).progressOf("wmOther").counted()).isZero();
    }
  }

  private static void add(TestServer server, app.liuliang.testing.WeComFake wecom, String ext, String state, String code)
      throws Exception {
    wecom.followState(ext, state);
    wecom.issueCode(code, ext, System.currentTimeMillis());
    server.postCallback(app.liuliang.sandbox.CallbackSimulator.addExternalContact(TestServer.CORP_ID, "assistant-lily", ext,
        state, code, server.clock().millis() / 1000));
  }

  private static ReferralProgramme programme(TestServer server) {
    return server.wiring().features().stream().filter(NewPatients.class::isInstance).map(NewPatients.class::cast)
        .findFirst().orElseThrow().referralProgramme();
  }

  private static void contact(Jdbi jdbi, String ext, String name, long addedAt, String status) {
    jdbi.useHandle(h -> {
      h.execute("INSERT INTO contacts (external_userid, name, channel, status, added_at, updated_at) "
          + "VALUES (?, ?, 'referral', ?, ?, ?)", ext, name, status, addedAt, addedAt);
      h.execute("INSERT INTO contact_follows (external_userid, userid, added_at) VALUES (?, 'assistant-lily', ?)", ext, addedAt);
    });
  }

  private static void refer(Jdbi jdbi, String friend, String referrer, long at) {
    jdbi.useHandle(h -> h.execute("INSERT INTO referrals (referee_external_userid, referrer_external_userid, code, created_at) "
        + "VALUES (?, ?, 'KOC001', ?)", friend, referrer, at));
  }

  private static String status(Jdbi jdbi, String friend) {
    return one(jdbi, "SELECT status FROM referrals WHERE referee_external_userid = '" + friend + "'");
  }

  private static String one(Jdbi jdbi, String sql) {
    return jdbi.withHandle(h -> h.createQuery(sql).mapTo(String.class).one());
  }

  private static long count(Jdbi jdbi, String sql) {
    return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
  }
}
