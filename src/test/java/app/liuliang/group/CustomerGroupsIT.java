package app.liuliang.group;

import static app.liuliang.group.GroupScenario.GET;
import static app.liuliang.group.GroupScenario.MARK_TAG;
import static app.liuliang.group.GroupScenario.MESSAGE_SEND;
import static app.liuliang.group.GroupScenario.PERKS_CHAT;
import static app.liuliang.group.GroupScenario.VIP_CHAT;
import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.group.GroupScenario.Member;
import app.liuliang.testing.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Customer groups end to end: signed change_external_chat callbacks, WireMock as WeCom, the real store. */
class CustomerGroupsIT {

  private static final long JOINED = 1_764_000_000L;

  @Test
  void aKnownPatientJoiningTheVipGroupIsAMemberWithTheCategoryTagAndTheIntentLayer() throws Exception {
    try (TestServer server = TestServer.builder().start()) {
      GroupScenario given = new GroupScenario(server);
      given.patient("wmA", "阿梅");
      given.group(VIP_CHAT, "种植VIP群", "v2", Member.staff("assistant-lily"), Member.patient("wmA", "阿梅", JOINED));

      given.event(VIP_CHAT, "update", "add_member", List.of("wmA"), "v1", "v2");
      TestServer.awaitUntil(() -> "intent".equals(given.value("SELECT layer FROM contacts WHERE external_userid = 'wmA'")));
      given.awaitQuiet();

      assertThat(given.rows("SELECT category, status, member_version FROM group_chats WHERE chat_id = ?", VIP_CHAT))
          .containsExactly(java.util.Map.of("category", "种植VIP群", "status", "active", "member_version", "v2"));
      assertThat(given.rows("SELECT member_id, type, join_time, join_scene, state, left_at FROM group_members "
          + "WHERE chat_id = ? ORDER BY member_id", VIP_CHAT)).extracting(r -> r.get("member_id") + "/" + r.get("type")
          + "/" + r.get("join_scene") + "/" + r.get("state") + "/" + r.get("left_at"))
          .containsExactly("assistant-lily/1/1//null", "wmA/2/3/grp-implant-vip/null");
      assertThat(given.value("SELECT join_time FROM group_members WHERE member_id = 'wmA'")).isEqualTo(JOINED * 1000);
      assertThat(given.count("SELECT COUNT(*) FROM contact_tags WHERE external_userid = 'wmA' AND tag_name = '已入群-种植VIP'"))
          .isEqualTo(1);
      assertThat(given.sent(MARK_TAG).stream().filter(b -> b.path("add_tag").toString().contains("tag-已入群-种植VIP")))
          .hasSize(1);

      // The same change again (WeCom's retry is byte-identical; a second event with a later second is not):
      server.clock().advance(Duration.ofSeconds(5));
      given.event(VIP_CHAT, "update", "add_member", List.of("wmA"), "v1", "v2");
      given.awaitQuiet();
      assertThat(given.getCalls(VIP_CHAT)).isEqualTo(1);
      assertThat(given.count("SELECT COUNT(*) FROM group_member_changes WHERE member_id = 'wmA'")).isEqualTo(1);
      assertThat(given.sent(MARK_TAG).stream().filter(b -> b.path("add_tag").toString().contains("tag-已入群-种植VIP")))
          .hasSize(1);
    }
  }

  @Test
  void aPatientLeavingTheVipGroupAlertsTheirAssistantOnceWithNameLayerAndTags() throws Exception {
    try (TestServer server = TestServer.builder().start()) {
      GroupScenario given = new GroupScenario(server);
      given.patient("wmB", "阿彬");
      given.group(VIP_CHAT, "种植VIP群", "v2", Member.staff("assistant-lily"), Member.patient("wmB", "阿彬", JOINED));
      given.event(VIP_CHAT, "update", "add_member", List.of("wmB"), "v1", "v2");
      TestServer.awaitUntil(() -> given.count("SELECT COUNT(*) FROM group_members WHERE member_id = 'wmB'") == 1);
      given.awaitQuiet();

      server.clock().advance(Duration.ofMinutes(3));
      long leftAt = server.clock().millis() / 1000 * 1000;
      given.group(VIP_CHAT, "种植VIP群", "v3", Member.staff("assistant-lily"));
      given.event(VIP_CHAT, "update", "del_member", List.of("wmB"), "v2", "v3");
      TestServer.awaitUntil(() -> given.sent(MESSAGE_SEND).size() == 1);
      given.awaitQuiet();

      assertThat(given.value("SELECT quit_scene FROM group_members WHERE member_id = 'wmB'")).isEqualTo(0);
      assertThat(given.value("SELECT left_at FROM group_members WHERE member_id = 'wmB'")).isEqualTo(leftAt);
      JsonNode alert = given.sent(MESSAGE_SEND).get(0);
      assertThat(alert.path("touser").asText()).isEqualTo("assistant-lily");
      assertThat(alert.path("text").path("content").asText())
          .contains("流失提醒").contains("阿彬").contains("分层：意向").contains("已入群-种植VIP").contains("种植VIP群");

      server.clock().advance(Duration.ofSeconds(5));
      given.event(VIP_CHAT, "update", "del_member", List.of("wmB"), "v2", "v3");
      given.awaitQuiet();
      assertThat(given.sent(MESSAGE_SEND)).hasSize(1);
    }
  }

  @Test
  void leavingAGroupWithoutChurnAlertsAlertsNoOne() throws Exception {
    try (TestServer server = TestServer.builder().start()) {
      GroupScenario given = new GroupScenario(server);
      given.patient("wmC", "阿超");
      given.group(PERKS_CHAT, "会员福利群", "p2", Member.staff("assistant-lily"), Member.patient("wmC", "阿超", JOINED));
      given.event(PERKS_CHAT, "update", "add_member", List.of("wmC"), "p1", "p2");
      TestServer.awaitUntil(() -> "potential".equals(given.value("SELECT layer FROM contacts WHERE external_userid = 'wmC'")));
      given.group(PERKS_CHAT, "会员福利群", "p3", Member.staff("assistant-lily"));
      server.clock().advance(Duration.ofMinutes(1));
      given.event(PERKS_CHAT, "update", "del_member", List.of("wmC"), "p2", "p3");
      TestServer.awaitUntil(() -> given.value("SELECT left_at FROM group_members WHERE member_id = 'wmC'") != null);
      given.awaitQuiet();
      assertThat(given.sent(MESSAGE_SEND)).isEmpty();
      assertThat(given.count("SELECT COUNT(*) FROM group_member_changes WHERE effects = 'pending'")).isZero();
    }
  }

  @Test
  void theSyncHealsMissedEventsAndNoticesDismissedGroups() throws Exception {
    try (TestServer server = TestServer.builder().start()) {
      GroupScenario given = new GroupScenario(server);
      given.patient("wmD", "阿德");
      given.group(VIP_CHAT, "种植VIP群", "v7", Member.staff("assistant-lily"), Member.patient("wmD", "阿德", JOINED));
      given.group("wrOther", "老客户群", "o1", Member.staff("assistant-lily"));
      given.listed(VIP_CHAT, "wrOther");

      HttpResponse<String> answer = server.post("/api/groups/sync", "", TestServer.admin());
      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(answer.body()).contains("\"listed\":2").contains("\"refreshed\":2");
      TestServer.awaitUntil(() -> "intent".equals(given.value("SELECT layer FROM contacts WHERE external_userid = 'wmD'")));
      assertThat(given.value("SELECT category FROM group_chats WHERE chat_id = 'wrOther'")).isNull();
      assertThat(given.sent(GroupScenario.LIST).get(0).path("owner_filter").path("userid_list").toString())
          .contains("assistant-lily").contains("dr-wang");

      given.listed(VIP_CHAT);
      assertThat(server.post("/api/groups/sync", "", TestServer.admin()).body()).contains("\"dismissed\":1");
      assertThat(given.value("SELECT status FROM group_chats WHERE chat_id = 'wrOther'")).isEqualTo("dismissed");
      assertThat(given.count("SELECT COUNT(*) FROM group_members WHERE member_id = 'wmD' AND left_at IS NULL")).isEqualTo(1);
      assertThat(server.post("/api/groups/sync", "").statusCode()).isEqualTo(401);
    }
  }

  @Test
  void anUpdateArrivingAfterTheDismissalIsRecordedAndReadsNothing() throws Exception {
    try (TestServer server = TestServer.builder().start()) {
      GroupScenario given = new GroupScenario(server);
      given.event("wrGone", "dismiss", null, null, null, null);
      TestServer.awaitUntil(() -> "dismissed".equals(given.value("SELECT status FROM group_chats WHERE chat_id = 'wrGone'")));
      server.clock().advance(Duration.ofSeconds(2));
      given.event("wrGone", "update", "change_name", null, null, null);
      given.awaitQuiet();
      assertThat(given.getCalls("wrGone")).isZero();
      assertThat(given.count("SELECT COUNT(*) FROM inbox WHERE kind = 'event/change_external_chat/update' AND status = 'done'"))
          .isEqualTo(1);
    }
  }

  @Test
  void aMalformedGroupEventIsKeptDeadLetteredAndTheNextOneIsHandled() throws Exception {
    try (TestServer server = TestServer.builder().start()) {
      GroupScenario given = new GroupScenario(server);
      given.event("", "update", "add_member", null, null, null);
      given.group(VIP_CHAT, "种植VIP群", "v1", Member.staff("assistant-lily"));
      given.event(VIP_CHAT, "create", null, null, null, null);
      TestServer.awaitUntil(() -> given.count("SELECT COUNT(*) FROM group_chats WHERE chat_id = ?", VIP_CHAT) == 1);
      given.awaitQuiet();
      assertThat(given.count("SELECT COUNT(*) FROM inbox WHERE status = 'dead'")).isEqualTo(1);
      assertThat(given.value("SELECT last_error FROM inbox WHERE status = 'dead'").toString()).contains("without ChatId");
    }
  }

  @Test
  void aReadThatStillShowsTheVersionBeforeTheEventIsRetriedUntilWeComCatchesUp() throws Exception {
    try (TestServer server = TestServer.builder().start()) {
      GroupScenario given = new GroupScenario(server);
      given.patient("wmE", "阿娥");
      given.group(VIP_CHAT, "种植VIP群", "v1", Member.staff("assistant-lily"));
      given.event(VIP_CHAT, "update", "add_member", List.of("wmE"), "v1", "v2");
      TestServer.awaitUntil(() -> given.count("SELECT COUNT(*) FROM group_refresh_due WHERE attempts = 1") == 1);
      assertThat(given.getCalls(VIP_CHAT)).isEqualTo(1);
      assertThat(given.count("SELECT COUNT(*) FROM group_members WHERE member_id = 'wmE'")).isZero();
      assertThat(given.value("SELECT status FROM inbox WHERE kind LIKE '%change_external_chat%'")).isEqualTo("done");

      given.group(VIP_CHAT, "种植VIP群", "v2", Member.staff("assistant-lily"), Member.patient("wmE", "阿娥", JOINED));
      server.clock().advance(Duration.ofMinutes(5));
      TestServer.awaitUntil(() -> given.count("SELECT COUNT(*) FROM group_members WHERE member_id = 'wmE'") == 1);
      TestServer.awaitUntil(() -> given.count("SELECT COUNT(*) FROM group_refresh_due") == 0);
      assertThat(given.getCalls(VIP_CHAT)).isEqualTo(2);
    }
  }

  @Test
  void aBurstOfEventsAboutOneGroupInsideTheSettleWindowCostsOneRead() throws Exception {
    try (TestServer server = TestServer.builder().start()) {
      GroupScenario given = new GroupScenario(server);
      Member[] members = new Member[6];
      members[0] = Member.staff("assistant-lily");
      for (int i = 1; i <= 5; i++) {
        members[i] = Member.patient("wmBurst" + i, "", JOINED);
        server.postCallback(app.liuliang.sandbox.CallbackSimulator.externalChatChange(TestServer.CORP_ID, VIP_CHAT,
            "update", "add_member", List.of("wmBurst" + i), "b" + (i - 1), "b" + i, server.clock().millis() / 1000));
      }
      given.group(VIP_CHAT, "种植VIP群", "b5", members);
      given.awaitQuiet();
      assertThat(given.count("SELECT bumps FROM group_refresh_due WHERE chat_id = ?", VIP_CHAT)).isEqualTo(5);
      server.clock().advance(GroupScenario.SETTLED);

      TestServer.awaitUntil(() -> given.count("SELECT COUNT(*) FROM group_members WHERE type = 2") == 5);
      TestServer.awaitUntil(() -> given.count("SELECT COUNT(*) FROM group_refresh_due") == 0);
      assertThat(given.getCalls(VIP_CHAT)).isEqualTo(1);
    }
  }

  @Test
  void aMarkedGroupIsStillReadAfterARestart() throws Exception {
    try (TestServer server = TestServer.builder().start()) {
      GroupScenario given = new GroupScenario(server);
      given.group(VIP_CHAT, "种植VIP群", "r1", Member.staff("assistant-lily"), Member.patient("wmR", "", JOINED));
      server.postCallback(app.liuliang.sandbox.CallbackSimulator.externalChatChange(TestServer.CORP_ID, VIP_CHAT,
          "update", "add_member", List.of("wmR"), "r0", "r1", server.clock().millis() / 1000));
      given.awaitQuiet();
      server.stop();
      server.clock().advance(GroupScenario.SETTLED);
      server.start();
      TestServer.awaitUntil(() -> given.count("SELECT COUNT(*) FROM group_members WHERE member_id = 'wmR'") == 1);
    }
  }

  @Test
  void aPatientDeletingTheAssistantAlertsThatAssistantAndForOrderedPatientsTheAdmins() throws Exception {
    try (TestServer server = TestServer.builder().start()) {
      GroupScenario given = new GroupScenario(server);
      given.patient("wmF", "阿芳");
      server.wiring().foundation().database().jdbi().useHandle(h ->
          h.execute("UPDATE contacts SET layer = 'ordered' WHERE external_userid = 'wmF'"));
      server.postCallback(app.liuliang.sandbox.CallbackSimulator.externalContactChange(TestServer.CORP_ID,
          "del_follow_user", "assistant-lily", "wmF", server.clock().millis() / 1000));
      TestServer.awaitUntil(() -> given.sent(MESSAGE_SEND).size() == 1);
      given.awaitQuiet();
      JsonNode alert = given.sent(MESSAGE_SEND).get(0);
      assertThat(alert.path("touser").asText()).isEqualTo("assistant-lily|admin-zhang");
      assertThat(alert.path("text").path("content").asText()).contains("阿芳").contains("已下单").contains("已删除员工 小美");
      assertThat(given.value("SELECT status FROM contacts WHERE external_userid = 'wmF'")).isEqualTo("lost");
    }
  }
}
