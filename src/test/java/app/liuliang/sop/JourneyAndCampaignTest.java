package app.liuliang.sop;

import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.config.Problems;
import app.liuliang.wecom.OutboxItem;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JourneyAndCampaignTest {

  private static final String JOURNEYS = """
      journeys:
        - id: new-patient
          trigger: added
          steps:
            - {day: 1, at: "10:00", text: "{name}您好，护牙指南"}
            - {day: 3, at: "19:30", text: "{name}，一篇小文章"}
      recalls:
        visits:
          - {subtype: cleaning, after: P6M, at: "10:00", text: "{name}您好，该洁牙啦"}
        memberships: {before: P30D, at: "10:00", text: "{name}您好，会员洁牙权益快到期啦"}
      """;

  private SopFixture fx;

  @AfterEach
  void tearDown() throws Exception {
    if (fx != null) {
      fx.close();
    }
  }

  private List<String> keys(String purpose) {
    return fx.outbox(purpose).stream().map(OutboxItem::idemKey).sorted().toList();
  }

  @Test
  void aJourneyStepGoesOnItsDayAndStopsWhenThePatientReplies() throws Exception {
    fx = new SopFixture(Map.of("journeys.yaml", JOURNEYS));
    fx.contact("wm-x", "张女士", "stranger", "assistant-lily");
    fx.contact("wm-y", "李先生", "stranger", "assistant-lily");
    fx.contact("wm-z", "王女士", "stranger", "assistant-lily", 1, "active");

    fx.clock.set(SopFixture.shanghai("2026-11-24T10:05"));
    fx.engine().runTask("journeys");
    assertThat(keys("sop.journey")).containsExactly(
        "sop:journey:new-patient:day-1:wm-x", "sop:journey:new-patient:day-1:wm-y");
    assertThat(fx.outbox.repository().findByKey("sop:journey:new-patient:day-1:wm-x").orElseThrow()
        .body().path("text").path("content").asText()).isEqualTo("张女士您好，护牙指南");

    long replyAt = SopFixture.shanghai("2026-11-24T12:00").toEpochMilli();
    fx.database.jdbi().useHandle(h -> h.execute(
        "INSERT INTO messages (external_userid, direction, msgtype, content, at) VALUES ('wm-y', 'in', 'text', '好的', ?)", replyAt));
    fx.clock.set(SopFixture.shanghai("2026-11-26T19:31"));
    fx.engine().runTask("journeys");
    fx.engine().runTask("journeys");

    assertThat(keys("sop.journey")).containsExactly("sop:journey:new-patient:day-1:wm-x",
        "sop:journey:new-patient:day-1:wm-y", "sop:journey:new-patient:day-3:wm-x");
  }

  @Test
  void aJourneyStepCarriesThePatientsOwnReferralCodeAndQr() throws Exception {
    String journeys = """
        journeys:
          - id: refer
            trigger: added
            steps:
              - {day: 1, at: "10:00", text: "{name}，您的推荐码是 {referral_code}，二维码在下面{referral_qr}"}
        """;
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0};
    fx = new SopFixture(Map.of("journeys.yaml", journeys),
        ext -> ext.equals("wm-x") ? java.util.Optional.of(new app.liuliang.contact.ReferralCodes.PersonalCode("KOC001", png))
            : java.util.Optional.empty());
    fx.contact("wm-x", "张女士", "stranger", "assistant-lily");
    fx.contact("wm-y", "李先生", "stranger", "assistant-lily");
    fx.database.jdbi().useHandle(h -> h.execute("UPDATE contacts SET referral_code = CASE external_userid "
        + "WHEN 'wm-x' THEN 'KOC001' ELSE 'LI0002' END"));

    fx.clock.set(SopFixture.shanghai("2026-11-24T10:05"));
    fx.engine().runTask("journeys");
    fx.engine().runTask("journeys");

    var x = fx.outbox.repository().findByKey("sop:journey:refer:day-1:wm-x").orElseThrow().body();
    assertThat(x.path("text").path("content").asText()).isEqualTo("张女士，您的推荐码是 KOC001，二维码在下面");
    assertThat(x.path("attachments").get(0).path("image").path("media_id").asText()).startsWith("media-referral-qr");
    var y = fx.outbox.repository().findByKey("sop:journey:refer:day-1:wm-y").orElseThrow().body();
    assertThat(y.path("text").path("content").asText()).contains("LI0002");
    assertThat(y.path("attachments").isMissingNode()).as("no code to show: the text alone").isTrue();
    assertThat(fx.wecom.calls.stream().filter(c -> c.startsWith("uploadMedia")).count()).as("uploaded once").isEqualTo(1);
  }

  @Test
  void aJourneyStepOffersACustomerGroupByItsCode() throws Exception {
    String journeys = """
        journeys:
          - id: vip
            trigger: added
            steps:
              - {day: 1, at: "10:00", text: "{name}，欢迎加入种植VIP群{group_qr:种植VIP群}，福利群链接：{group_link:会员福利群}"}
        """;
    fx = new SopFixture(Map.of("journeys.yaml", journeys), app.liuliang.contact.ReferralCodes.none(),
        category -> java.util.Optional.of("https://wework.qpic.cn/wwpic/" + (category.equals("种植VIP群") ? "vip" : "club")));
    fx.contact("wm-x", "张女士", "stranger", "assistant-lily");

    fx.clock.set(SopFixture.shanghai("2026-11-24T10:05"));
    fx.engine().runTask("journeys");

    var x = fx.outbox.repository().findByKey("sop:journey:vip:day-1:wm-x").orElseThrow().body();
    assertThat(x.path("text").path("content").asText())
        .isEqualTo("张女士，欢迎加入种植VIP群，福利群链接：https://wework.qpic.cn/wwpic/club");
    assertThat(x.path("attachments").get(0).path("image").path("pic_url").asText()).endsWith("/vip");
  }

  @Test
  void aJourneyOfferingAnUnknownGroupCategoryIsRefused() {
    String journeys = """
        journeys:
          - id: vip
            trigger: added
            steps:
              - {day: 1, at: "10:00", text: "欢迎加入{group_qr:不存在的群}"}
        """;

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new SopFixture(Map.of("journeys.yaml", journeys)))
        .hasMessageContaining("journeys.yaml:").hasMessageContaining("unknown group category \"不存在的群\"");
  }

  @Test
  void aJourneyStopsWhenThePatientBooks() throws Exception {
    fx = new SopFixture(Map.of("journeys.yaml", JOURNEYS));
    fx.contact("wm-x", "张女士", "stranger", "assistant-lily");
    long visit = SopFixture.shanghai("2026-11-23T15:00").toEpochMilli();
    fx.database.jdbi().useHandle(h -> h.execute(
        "INSERT INTO contact_activities (external_userid, type, subtype, at) VALUES ('wm-x', 'visit', 'cleaning', ?)", visit));
    fx.clock.set(SopFixture.shanghai("2026-11-24T10:05"));
    fx.engine().runTask("journeys");
    assertThat(fx.outbox("sop.journey")).isEmpty();
  }

  @Test
  void aCleaningVisitIsRecalledAfterSixMonthsUnlessThePatientCameBack() throws Exception {
    fx = new SopFixture(Map.of("journeys.yaml", JOURNEYS));
    fx.contact("wm-r", "陈女士", "ordered", "assistant-lily");
    fx.contact("wm-s", "吴先生", "ordered", "assistant-lily");
    long may = SopFixture.shanghai("2026-05-20T15:00").toEpochMilli();
    long august = SopFixture.shanghai("2026-08-20T15:00").toEpochMilli();
    fx.database.jdbi().useHandle(h -> {
      h.execute("INSERT INTO contact_activities (id, external_userid, type, subtype, at) VALUES (7, 'wm-r', 'visit', 'cleaning', ?)", may);
      h.execute("INSERT INTO contact_activities (external_userid, type, subtype, at) VALUES ('wm-s', 'visit', 'cleaning', ?)", may);
      h.execute("INSERT INTO contact_activities (external_userid, type, subtype, at) VALUES ('wm-s', 'visit', 'cleaning', ?)", august);
    });
    fx.clock.set(SopFixture.shanghai("2026-11-20T09:59"));
    fx.engine().runTask("journeys");
    assertThat(fx.outbox("sop.recall")).isEmpty();

    fx.clock.set(SopFixture.shanghai("2026-11-20T10:15"));
    fx.engine().runTask("journeys");
    assertThat(keys("sop.recall")).containsExactly("sop:recall:cleaning:visit-7:wm-r");
  }

  @Test
  void anUnusedMembershipBenefitIsRemindedBeforeItExpires() throws Exception {
    fx = new SopFixture(Map.of("journeys.yaml", JOURNEYS));
    fx.contact("wm-m", "郑女士", "repeat", "assistant-lily");
    fx.contact("wm-u", "冯先生", "repeat", "assistant-lily");
    long granted = SopFixture.shanghai("2026-01-05T10:00").toEpochMilli();
    long expires = SopFixture.shanghai("2026-12-20T23:59").toEpochMilli();
    long used = SopFixture.shanghai("2026-06-01T10:00").toEpochMilli();
    fx.database.jdbi().useHandle(h -> {
      h.execute("INSERT INTO contact_activities (id, external_userid, type, subtype, at, detail) VALUES (11, 'wm-m', 'membership', '洁牙', ?, ?)",
          granted, "{\"expires_at\": " + expires + "}");
      h.execute("INSERT INTO contact_activities (id, external_userid, type, subtype, at, detail) VALUES (12, 'wm-u', 'membership', '洁牙', ?, ?)",
          granted, "{\"expires_at\": " + expires + "}");
      h.execute("INSERT INTO contact_activities (external_userid, type, subtype, at) VALUES ('wm-u', 'membership_used', '洁牙', ?)", used);
    });
    fx.clock.set(SopFixture.shanghai("2026-11-20T10:15"));
    fx.engine().runTask("journeys");
    assertThat(keys("sop.recall")).containsExactly("sop:membership:洁牙:expiry-11:wm-m");
  }

  @Test
  void countdownPostsAreDueAtTheirOffsetsBeforeTheEnd() throws Exception {
    fx = new SopFixture(Map.of("campaigns/winter.yaml", """
        id: winter
        ends_at: "2026-11-30T22:00"
        channel: personal
        audience: {tags: [需求-洁牙]}
        text: "洁牙体验{remaining}"
        """));
    fx.feature.reload();
    List<SopRepository.StoredItem> items = fx.engine().repository().items("campaign:winter");
    assertThat(items).extracting(s -> s.item().id()).containsExactly("countdown-7d", "countdown-3d", "countdown-1d",
        "countdown-3h", "countdown-1h", "countdown-30min", "countdown-15min");
    assertThat(items).extracting(s -> Instant.ofEpochMilli(s.item().dueAt())).containsExactly(
        Instant.parse("2026-11-23T14:00:00Z"), Instant.parse("2026-11-27T14:00:00Z"), Instant.parse("2026-11-29T14:00:00Z"),
        Instant.parse("2026-11-30T11:00:00Z"), Instant.parse("2026-11-30T13:00:00Z"), Instant.parse("2026-11-30T13:30:00Z"),
        Instant.parse("2026-11-30T13:45:00Z"));
    assertThat(items.get(1).item().text()).isEqualTo("洁牙体验还剩3天");
    assertThat(items.get(5).item().text()).isEqualTo("洁牙体验还剩30分钟");
    assertThat(fx.engine().scheduler().itemJobs()).contains("sop/campaign:winter/countdown-15min");
  }

  @Test
  void countdownMomentsOverTheDailyCapAreRejected() throws Exception {
    fx = new SopFixture();
    fx.write("campaigns/winter.yaml", """
        id: winter
        ends_at: "2026-11-30T22:00"
        senders: [assistant-lily]
        text: "洁牙体验{remaining}"
        """);
    Problems problems = new Problems();
    new CampaignPlanner(fx.yaml, new ContentRules(null, null, fx.configDir), SopSettings.defaults(), SopFixture.SHANGHAI)
        .validate(fx.configDir.resolve("campaigns/winter.yaml"), problems);
    assertThat(problems.sorted()).extracting(p -> p.line() + ":" + p.column() + ": " + p.message())
        .containsExactly("1:1: more than 3 countdown Moments on 2026-11-30");
  }
}
