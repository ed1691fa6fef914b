package app.liuliang.sop;

import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.wecom.OutboxItem;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PersonalFanOutTest {

  private static final String PLAN = """
      week: 2026-W48
      personal:
        - id: wed-implant
          day: wed
          at: "19:00"
          audience: {layers: [intent], tags: [需求-种植], exclude_tags: [有投诉]}
          text: "{name}您好，陈医生这周都在。"
        - id: wed-later
          day: wed
          at: "21:00"
          audience: {tags: [需求-种植]}
          text: 第二条
        - id: thu-next
          day: thu
          at: "10:00"
          audience: {tags: [需求-种植]}
          text: 第三条
      """;

  private SopFixture fx;

  @BeforeEach
  void setUp() throws Exception {
    fx = new SopFixture();
    fx.write("sop/2026-W48.yaml", PLAN);
    fx.feature.reload();
  }

  @AfterEach
  void tearDown() throws Exception {
    fx.close();
  }

  private List<String> recipients(String purpose) {
    List<String> out = new ArrayList<>();
    for (OutboxItem item : fx.outbox(purpose)) {
      item.body().path("external_userid").forEach(e -> out.add(e.asText()));
    }
    out.sort(null);
    return out;
  }

  @Test
  void optedOutLostExcludedAndOtherLayersAreLeftOut() {
    fx.contact("wm-a", "张女士", "intent", "assistant-lily", "需求-种植");
    fx.contact("wm-b", "李先生", "intent", "assistant-lily", 1, "active", "需求-种植");
    fx.contact("wm-c", "王女士", "intent", "assistant-lily", 0, "lost", "需求-种植");
    fx.contact("wm-d", "赵先生", "intent", "dr-chen", "需求-种植", "有投诉");
    fx.contact("wm-e", "钱女士", "potential", "assistant-lily", "需求-种植");
    fx.contact("wm-f", "孙先生", "intent", "dr-chen", "需求-种植");

    fx.clock.set(SopFixture.shanghai("2026-11-25T19:00"));
    fx.engine().fire("2026-W48", "wed-implant");

    assertThat(recipients("sop.personal")).containsExactly("wm-a", "wm-f");
    OutboxItem toA = fx.outbox.repository().findByKey("sop:2026-W48:wed-implant:wm-a").orElseThrow();
    assertThat(toA.body().path("sender").asText()).isEqualTo("assistant-lily");
    assertThat(toA.body().path("chat_type").asText()).isEqualTo("single");
    assertThat(toA.body().path("text").path("content").asText()).isEqualTo("张女士您好，陈医生这周都在。");
    assertThat(toA.externalUserId()).isEqualTo("wm-a");
    assertThat(fx.outbox.repository().findByKey("sop:2026-W48:wed-implant:wm-f").orElseThrow()
        .body().path("sender").asText()).isEqualTo("dr-chen");
  }

  @Test
  void anItemADeadNodeLeftSendingResumesOnlyWhenQuartzRecoversItsJob() {
    fx.contact("wm-a", "张女士", "intent", "assistant-lily", "需求-种植");
    fx.clock.set(SopFixture.shanghai("2026-11-25T19:00"));
    // The node that claimed the item died before queueing anything.
    fx.foundation.database().jdbi().useHandle(h -> h.execute(
        "UPDATE sop_items SET status = 'sending' WHERE week = '2026-W48' AND item_id = 'wed-implant'"));

    fx.engine().fire("2026-W48", "wed-implant");
    assertThat(recipients("sop.personal")).as("an ordinary firing leaves another node's item alone").isEmpty();

    fx.engine().fire("2026-W48", "wed-implant", true);
    assertThat(recipients("sop.personal")).as("Quartz's recovery of the dead node's job").containsExactly("wm-a");
  }

  @Test
  void theDailyCapHoldsBackASecondMessageTheSameDay() {
    fx.contact("wm-a", "张女士", "intent", "assistant-lily", "需求-种植");
    fx.contact("wm-g", "周先生", "repeat", "assistant-lily", "需求-种植");

    fx.clock.set(SopFixture.shanghai("2026-11-25T19:00"));
    fx.engine().fire("2026-W48", "wed-implant");
    fx.clock.set(SopFixture.shanghai("2026-11-25T21:00"));
    fx.engine().fire("2026-W48", "wed-later");
    fx.clock.set(SopFixture.shanghai("2026-11-26T10:00"));
    fx.engine().fire("2026-W48", "thu-next");

    assertThat(recipients("sop.personal")).as("wm-a twice (Wed 19:00, Thu), wm-g twice (Wed 21:00, Thu)")
        .containsExactly("wm-a", "wm-a", "wm-g", "wm-g");
    assertThat(fx.outbox.repository().findByKey("sop:2026-W48:wed-later:assistant-lily:wm-g").orElseThrow()
        .body().path("external_userid").toString()).isEqualTo("[\"wm-g\"]");
    assertThat(fx.engine().repository().item("2026-W48", "wed-later").orElseThrow().detail())
        .isEqualTo("1 contacts in 1 broadcasts via 1 staff");
  }

  @Test
  void sendResultsShowWhoWasOverWeComsCapAndOnlyDeliveredSendsCountTowardsOurs() {
    fx.contact("wm-a", "张女士", "intent", "assistant-lily", "需求-种植");
    fx.contact("wm-f", "孙先生", "intent", "dr-chen", "需求-种植");
    fx.clock.set(SopFixture.shanghai("2026-11-25T19:00"));
    fx.engine().fire("2026-W48", "wed-implant");
    fx.engine().broadcastSent("sop:2026-W48:wed-implant:wm-a", "msg-a", null);
    fx.engine().broadcastSent("sop:2026-W48:wed-implant:wm-f", "msg-f", null);
    fx.wecom.answer(ConfirmationTracker.GROUPMSG_TASK, "{\"errcode\":0,\"task_list\":["
        + "{\"userid\":\"assistant-lily\",\"status\":2},{\"userid\":\"dr-chen\",\"status\":2}]}");
    fx.wecom.answer(ConfirmationTracker.SEND_RESULT, "{\"errcode\":0,\"next_cursor\":\"\",\"send_list\":["
        + "{\"external_userid\":\"wm-a\",\"userid\":\"assistant-lily\",\"status\":1},"
        + "{\"external_userid\":\"wm-f\",\"userid\":\"dr-chen\",\"status\":3}]}");

    fx.engine().runTask("confirm");

    assertThat(fx.deliveries("wed-implant")).containsExactly("wm-a=delivered", "wm-f=over_cap");
    assertThat(fx.wecom.calls.stream().filter(c -> c.contains("get_groupmsg_send_result")).toList())
        .hasSize(2).allSatisfy(call -> assertThat(call).contains("\"limit\":1000"));

    fx.clock.set(SopFixture.shanghai("2026-11-25T21:00"));
    fx.engine().fire("2026-W48", "wed-later");
    assertThat(recipients("sop.personal")).as("wm-a had today's one; wm-f's never arrived")
        .containsExactly("wm-a", "wm-f", "wm-f");
  }

  @Test
  void aLargeAudienceGoesInBatchesOfTenThousandWithoutTheName() {
    long now = fx.clock.millis();
    fx.database.jdbi().useTransaction(h -> {
      var contacts = h.prepareBatch("INSERT INTO contacts (external_userid, name, layer, added_at, updated_at) VALUES (?, ?, 'intent', ?, ?)");
      var follows = h.prepareBatch("INSERT INTO contact_follows (external_userid, userid, added_at) VALUES (?, 'assistant-lily', ?)");
      var tags = h.prepareBatch("INSERT INTO contact_tags (external_userid, tag_name, source, added_at) VALUES (?, '需求-种植', 'staff', ?)");
      for (int i = 0; i < 10_001; i++) {
        String id = String.format("wm-%05d", i);
        contacts.add(id, "患者" + i, now, now);
        follows.add(id, now);
        tags.add(id, now);
      }
      contacts.execute();
      follows.execute();
      tags.execute();
    });
    fx.clock.set(SopFixture.shanghai("2026-11-25T19:00"));
    fx.engine().fire("2026-W48", "wed-implant");

    List<OutboxItem> batches = fx.outbox("sop.personal");
    assertThat(batches).extracting(OutboxItem::idemKey).containsExactlyInAnyOrder(
        "sop:2026-W48:wed-implant:assistant-lily:wm-00000", "sop:2026-W48:wed-implant:assistant-lily:wm-10000");
    assertThat(batches).extracting(b -> b.body().path("external_userid").size()).containsExactlyInAnyOrder(10_000, 1);
    assertThat(batches.get(0).body().path("text").path("content").asText()).isEqualTo("您好，陈医生这周都在。");

    scheduledAgain("2026-W48", "wed-implant");
    fx.engine().fire("2026-W48", "wed-implant");
    assertThat(fx.outbox("sop.personal")).as("a second firing reaches nobody twice").hasSize(2);

    fx.contact("wm-late", "新患者", "intent", "assistant-lily", "需求-种植");
    scheduledAgain("2026-W48", "wed-implant");
    fx.engine().fire("2026-W48", "wed-implant");
    assertThat(fx.outbox("sop.personal")).as("a resumed item reaches only those it missed").hasSize(3);
    assertThat(fx.outbox.repository().findByKey("sop:2026-W48:wed-implant:wm-late").orElseThrow()
        .body().path("text").path("content").asText()).isEqualTo("新患者您好，陈医生这周都在。");
  }

  @Test
  void theGuardVetoesASendToAPatientWhoOptedOutAfterItWasQueued() {
    fx.contact("wm-a", "张女士", "intent", "assistant-lily", "需求-种植");
    fx.clock.set(SopFixture.shanghai("2026-11-25T19:00"));
    fx.engine().fire("2026-W48", "wed-implant");
    OutboxItem queued = fx.outbox.repository().findByKey("sop:2026-W48:wed-implant:wm-a").orElseThrow();
    SopGuard guard = new SopGuard(fx.database.jdbi());
    assertThat(guard.vetoReason(queued)).isEmpty();

    fx.database.jdbi().useHandle(h -> h.execute("UPDATE contacts SET opted_out = 1 WHERE external_userid = 'wm-a'"));
    assertThat(guard.vetoReason(queued)).contains("opted out");
  }

  /** As an operator's "send again" would: the item back to scheduled, whatever it was. */
  private void scheduledAgain(String week, String id) {
    fx.engine().repository().jdbi().useHandle(h -> h.createUpdate("UPDATE sop_items SET status = 'scheduled' "
        + "WHERE week = :w AND item_id = :i").bind("w", week).bind("i", id).execute());
  }
}
