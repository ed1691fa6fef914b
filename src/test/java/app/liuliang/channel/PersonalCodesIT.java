package app.liuliang.channel;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.sandbox.CallbackSimulator;
import app.liuliang.testing.MutableClock;
import app.liuliang.testing.TestServer;
import app.liuliang.testing.WeComFake;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * Personal referral codes: made when a patient reaches referral.yaml's layer (or an operator asks),
 * behind their own assistant, reused, deleted once they have been lost long enough; a friend who
 * scans one is that patient's referral; admins hear when the corp's codes near WeCom's ceiling.
 */
class PersonalCodesIT {

  @Test
  void aPatientWhoReachesTheLayerGetsOneCodeBehindTheirAssistantAndAFriendScanningItIsTheirReferral() throws Exception {
    try (WeComFake wecom = new WeComFake(Duration.ZERO);
        TestServer server = TestServer.builder().wecom(wecom).start()) {
      Jdbi jdbi = jdbi(server);
      patient(jdbi, "wmOld", "老患者", "ordered", "K7QM2X", "dr-wang", server.clock().millis());
      patient(jdbi, "wmNew", "新患者", "potential", "N0PE00", "assistant-lily", server.clock().millis());
      ChannelCodesFeature codes = feature(server);

      codes.scanPersonalCodes();
      codes.scanPersonalCodes();

      ObjectNode way = way(wecom, "ref:K7QM2X");
      assertThat(way.path("type").asInt()).isEqualTo(1);
      assertThat(way.path("user").toString()).isEqualTo("[\"dr-wang\"]");
      assertThat(wecom.contactWays().values()).filteredOn(w -> w.path("state").asText().startsWith("ref:")).hasSize(1);
      assertThat(codes.personal().code("wmOld").orElseThrow().status()).isEqualTo("active");
      assertThat(codes.personal().qr("wmOld")).isPresent();
      assertThat(codes.personal().code("wmNew")).as("below the layer").isEmpty();
      int adds = adds(wecom);
      assertThat(codes.personal().ensure("wmOld", "asked").orElseThrow().state()).isEqualTo("ref:K7QM2X");
      assertThat(adds(wecom)).as("reused").isEqualTo(adds);

      wecom.issueCode("CODE-friend", "wmFriend", System.currentTimeMillis());
      wecom.followState("wmFriend", "ref:K7QM2X");
      server.postCallback(CallbackSimulator.addExternalContact(TestServer.CORP_ID, "dr-wang", "wmFriend", "ref:K7QM2X",
          "CODE-friend", server.clock().millis() / 1000));
      TestServer.awaitUntil(() -> count(jdbi, "SELECT COUNT(*) FROM referrals WHERE referrer_external_userid = 'wmOld' "
          + "AND referee_external_userid = 'wmFriend'") == 1);
    }
  }

  @Test
  void aLongLostPatientsCodeIsDeletedAndARefusalIsRetried() throws Exception {
    MutableClock clock = MutableClock.atSystemTime();
    try (WeComFake wecom = new WeComFake(Duration.ZERO);
        TestServer server = TestServer.builder().wecom(wecom).clock(clock).start()) {
      Jdbi jdbi = jdbi(server);
      patient(jdbi, "wmGone", "走了的", "repeat", "G0NE01", "assistant-lily", clock.millis());
      patient(jdbi, "wmStays", "留下的", "ordered", "STAY01", "assistant-lily", clock.millis());
      ChannelCodesFeature codes = feature(server);
      wecom.refuseAddContactWay(84074);
      codes.scanPersonalCodes();
      assertThat(codes.personal().code("wmGone").orElseThrow().status()).isEqualTo("failed");
      assertThat(codes.personal().code("wmGone").orElseThrow().error()).contains("客户联系");
      wecom.refuseAddContactWay(0);
      codes.scanPersonalCodes();
      assertThat(codes.personal().code("wmGone").orElseThrow().status()).isEqualTo("active");
      String configId = way(wecom, "ref:G0NE01").path("config_id").asText();

      jdbi.useHandle(h -> h.execute("UPDATE contacts SET status = 'lost', updated_at = ? WHERE external_userid = 'wmGone'",
          clock.millis()));
      clock.advance(Duration.ofDays(29));
      codes.scanPersonalCodes();
      assertThat(wecom.contactWays()).as("lost, but not for 30 days yet").containsKey(configId);
      clock.advance(Duration.ofDays(2));
      codes.scanPersonalCodes();

      assertThat(wecom.contactWays()).doesNotContainKey(configId);
      assertThat(codes.personal().code("wmGone").orElseThrow().status()).isEqualTo("deleted");
      assertThat(codes.personal().code("wmStays").orElseThrow().status()).isEqualTo("active");
    }
  }

  @Test
  void anOperatorMakesACodeFromTheReferralsPage() throws Exception {
    try (WeComFake wecom = new WeComFake(Duration.ZERO);
        TestServer server = TestServer.builder().wecom(wecom).start()) {
      Jdbi jdbi = jdbi(server);
      patient(jdbi, "wmKoc", "推荐达人", "potential", "KOC001", "assistant-lily", server.clock().millis());
      patient(jdbi, "wmRef1", "朋友", "stranger", "FRND01", "assistant-lily", server.clock().millis());
      jdbi.useHandle(h -> h.execute("INSERT INTO referrals (referee_external_userid, referrer_external_userid, code, "
          + "created_at) VALUES ('wmRef1', 'wmKoc', 'KOC001', ?)", server.clock().millis()));
      var browser = new app.liuliang.web.console.ConsoleClient(server);
      browser.login(TestServer.ADMIN_TOKEN);
      String page = browser.get("/admin/referrals").body();
      assertThat(page).contains("推荐达人").contains("KOC001").contains("生成推荐码").doesNotContain(">wmKoc<");
      assertThat(browser.postForm("/admin/referrals/wmKoc/code", "csrf=forged").statusCode()).isEqualTo(403);

      var reply = browser.postForm("/admin/referrals/wmKoc/code", "csrf=" + browser.csrfFrom("/admin/referrals"));

      assertThat(reply.statusCode()).isEqualTo(303);
      assertThat(way(wecom, "ref:KOC001").path("user").toString()).isEqualTo("[\"assistant-lily\"]");
      assertThat(browser.get("/admin/referrals?made=wmKoc").body()).contains("专属推荐码已生成")
          .contains("/admin/referrals/wmKoc/qr.png");
      assertThat(browser.get("/admin/referrals/wmKoc/qr.png").statusCode()).isEqualTo(200);
    }
  }

  @Test
  void adminsHearOnceWhenTheCorpsCodesNearWeComsCeiling() throws Exception {
    Path config = TestServer.copyConfig(Path.of("config"));
    Files.writeString(config.resolve("referral.yaml"), "personal_code:\n  quota_alert_percent: 1\n");
    try (WeComFake wecom = new WeComFake(Duration.ZERO);
        TestServer server = TestServer.builder().wecom(wecom).configDir(config).start()) {
      Jdbi jdbi = jdbi(server);
      jdbi.useHandle(h -> h.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000) "
          + "INSERT INTO referral_codes (external_userid, state, userid, reason, config_id, status, created_at, updated_at) "
          + "SELECT 'wmQ' || i, 'ref:Q' || i, 'assistant-lily', 'layer', 'cfg' || i, 'active', 0, 0 FROM n"));
      ChannelCodesFeature codes = feature(server);

      codes.scanPersonalCodes();
      codes.scanPersonalCodes();

      TestServer.awaitUntil(() -> wecom.wireMock().countRequestsMatching(postRequestedFor(urlPathEqualTo("/cgi-bin/message/send"))
          .build()).getCount() == 1);
      assertThat(count(jdbi, "SELECT COUNT(*) FROM outbox WHERE purpose = 'channel.quota'")).isEqualTo(1);
      String text = jdbi.withHandle(h -> h.createQuery("SELECT body FROM outbox WHERE purpose = 'channel.quota'")
          .mapTo(String.class).one());
      assertThat(text).contains("联系我").contains("500000");
    }
  }

  private static void patient(Jdbi jdbi, String ext, String name, String layer, String code, String follower, long at) {
    jdbi.useHandle(h -> {
      h.execute("INSERT INTO contacts (external_userid, name, channel, layer, referral_code, first_userid, added_at, updated_at) "
          + "VALUES (?, ?, 'meituan', ?, ?, ?, ?, ?)", ext, name, layer, code, follower, at, at);
      h.execute("INSERT INTO contact_follows (external_userid, userid, added_at) VALUES (?, ?, ?)", ext, follower, at);
    });
  }

  private static ObjectNode way(WeComFake wecom, String state) {
    return wecom.contactWays().values().stream().filter(w -> w.path("state").asText().equals(state)).findFirst()
        .orElseThrow(() -> new AssertionError("WeCom holds no code with state " + state));
  }

  private static int adds(WeComFake wecom) {
    return wecom.wireMock().countRequestsMatching(postRequestedFor(urlPathEqualTo(WeComFake.ADD_WAY)).build()).getCount();
  }

  private static Jdbi jdbi(TestServer server) {
    return server.wiring().foundation().database().jdbi();
  }

  private static long count(Jdbi jdbi, String sql) {
    return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
  }

  private static ChannelCodesFeature feature(TestServer server) {
    return server.wiring().features().stream().filter(ChannelCodesFeature.class::isInstance)
        .map(ChannelCodesFeature.class::cast).findFirst().orElseThrow();
  }
}
