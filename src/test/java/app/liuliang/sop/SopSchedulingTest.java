package app.liuliang.sop;

import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.wecom.OutboxItem;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SopSchedulingTest {

  private static final String PLAN = """
      week: 2026-W48
      moments:
        - {id: mon-tips, day: mon, at: "09:30", senders: [assistant-lily], audience: {tags: [需求-美白]}, text: 护牙小知识, attachments: [{image: media/cleaning-tips.png}]}
      groups:
        - {id: tue-group, day: tue, at: "20:00", owners: [assistant-lily, dr-wang], text: 群公告}
      """;

  private SopFixture fx;

  @BeforeEach
  void setUp() throws Exception {
    fx = new SopFixture();
    fx.wecom.corpTags.add(new app.liuliang.wecom.WeComClient.CorpTagGroup("g1", "需求",
        List.of(new app.liuliang.wecom.WeComClient.CorpTag("tag-whitening", "需求-美白"))));
  }

  @AfterEach
  void tearDown() throws Exception {
    fx.close();
  }

  @Test
  void reloadAddsChangesAndRemovesJobs() throws Exception {
    fx.write("sop/2026-W48.yaml", PLAN);
    assertThat(fx.feature.reload()).singleElement().satisfies(r -> assertThat(r.added()).isEqualTo(2));
    assertThat(fx.engine().scheduler().itemJobs()).containsExactly("sop/2026-W48/mon-tips", "sop/2026-W48/tue-group");

    fx.write("sop/2026-W48.yaml", PLAN.replace("群公告", "新的群公告").replace("""
          - {id: mon-tips, day: mon, at: "09:30", senders: [assistant-lily], audience: {tags: [需求-美白]}, text: 护牙小知识, attachments: [{image: media/cleaning-tips.png}]}
        """, "  - {id: wed-new, day: wed, at: \"09:30\", senders: [dr-wang], text: 新内容}\n"));
    SopFeature.PlanResult result = fx.feature.reload().get(0);
    assertThat(List.of(result.added(), result.changed(), result.removed())).containsExactly(1, 1, 1);
    assertThat(fx.engine().scheduler().itemJobs()).containsExactly("sop/2026-W48/tue-group", "sop/2026-W48/wed-new");
    assertThat(fx.status("2026-W48", "mon-tips")).isEqualTo("removed");
    assertThat(fx.engine().repository().item("2026-W48", "tue-group").orElseThrow().item().text()).isEqualTo("新的群公告");
    assertThat(fx.feature.reload()).as("an unchanged file is not reloaded").isEmpty();
  }

  @Test
  void invalidReloadKeepsTheRunningJobsAndTellsTheAdmins() throws Exception {
    fx.write("sop/2026-W48.yaml", PLAN);
    fx.feature.reload();
    fx.write("sop/2026-W48.yaml", PLAN.replace("day: tue", "day: tuesday"));
    SopFeature.PlanResult result = fx.feature.reload().get(0);

    assertThat(result.valid()).isFalse();
    assertThat(result.problems()).singleElement().asString().contains("unknown day \"tuesday\"");
    assertThat(fx.engine().scheduler().itemJobs()).containsExactly("sop/2026-W48/mon-tips", "sop/2026-W48/tue-group");
    assertThat(fx.status("2026-W48", "tue-group")).isEqualTo("scheduled");
    String errors = fx.database.jdbi().withHandle(h -> h.createQuery("SELECT status || ' ' || errors FROM sop_plans WHERE week = '2026-W48'")
        .mapTo(String.class).one());
    assertThat(errors).startsWith("invalid ").contains("2026-W48.yaml:5:").contains("unknown day");
    assertThat(fx.outbox("sop.admin")).singleElement().satisfies(item -> {
      assertThat(item.body().path("touser").asText()).isEqualTo("admin-zhang");
      assertThat(item.body().path("text").path("content").asText()).contains("仍按原计划执行").contains("unknown day");
    });
  }

  @Test
  void aMomentFiresAtItsShanghaiMinuteThroughTheOutbox() throws Exception {
    fx.write("sop/2026-W48.yaml", PLAN);
    fx.feature.reload();
    Date next = fx.engine().scheduler().nextFire("sop/2026-W48/mon-tips").orElseThrow();
    assertThat(next.getTime() - System.currentTimeMillis()).as("09:30 is 30 minutes after the 09:00 clock")
        .isBetween(Duration.ofMinutes(29).toMillis(), Duration.ofMinutes(30).toMillis());

    fx.engine().fire("2026-W48", "mon-tips");
    assertThat(fx.outbox("sop.moment")).as("not before its minute").isEmpty();

    fx.clock.set(SopFixture.shanghai("2026-11-23T09:30"));
    fx.engine().fire("2026-W48", "mon-tips");
    OutboxItem moment = fx.outbox("sop.moment").get(0);
    assertThat(moment.idemKey()).isEqualTo("sop:2026-W48:mon-tips:moment");
    assertThat(moment.api()).isEqualTo("/cgi-bin/externalcontact/add_moment_task");
    assertThat(moment.body().toString()).contains("\"user_list\":[\"assistant-lily\"]")
        .contains("\"tag_list\":[\"tag-whitening\"]").contains("att-cleaning-tips.png");
    assertThat(fx.wecom.calls).contains("uploadAttachment image cleaning-tips.png");
    assertThat(fx.status("2026-W48", "mon-tips")).isEqualTo("sending");

    fx.engine().fire("2026-W48", "mon-tips");
    assertThat(fx.outbox("sop.moment")).as("never sent twice").hasSize(1);
  }

  @Test
  void anItemMissedWhileDownIsSentInsideTheGraceWindowAndMissedOutsideIt() throws Exception {
    fx.write("sop/2026-W48.yaml", PLAN.replace("at: \"20:00\"", "at: \"09:00\""));
    fx.feature.reload();
    fx.clock.set(SopFixture.shanghai("2026-11-24T10:59"));
    fx.engine().fire("2026-W48", "tue-group");
    fx.engine().fire("2026-W48", "mon-tips");

    assertThat(fx.outbox("sop.group")).extracting(OutboxItem::idemKey)
        .containsExactlyInAnyOrder("sop:2026-W48:tue-group:assistant-lily", "sop:2026-W48:tue-group:dr-wang");
    assertThat(fx.status("2026-W48", "tue-group")).isEqualTo("sending");
    assertThat(fx.status("2026-W48", "mon-tips")).isEqualTo("missed");
    assertThat(fx.engine().repository().item("2026-W48", "mon-tips").orElseThrow().detail()).contains("late by 1529 min");
    assertThat(fx.outbox("sop.moment")).isEmpty();
  }

  @Test
  void aFanOutInterruptedByACrashResumesOnStartWithoutRepeats() throws Exception {
    fx.write("sop/2026-W48.yaml", PLAN);
    fx.feature.reload();
    fx.clock.set(SopFixture.shanghai("2026-11-24T20:30"));
    fx.engine().fire("2026-W48", "tue-group");
    fx.database.jdbi().useHandle(h -> {
      // As if the process died after the first owner's broadcast was queued.
      h.execute("DELETE FROM outbox WHERE idem_key = 'sop:2026-W48:tue-group:dr-wang'");
      h.execute("DELETE FROM sop_deliveries WHERE target = 'dr-wang'");
      h.execute("DELETE FROM sop_broadcasts WHERE sender = 'dr-wang'");
    });
    assertThat(fx.status("2026-W48", "tue-group")).isEqualTo("sending");

    fx.feature.start();
    app.liuliang.testing.TestServer.awaitUntil(() -> fx.outbox("sop.group").size() == 2);
    assertThat(fx.outbox("sop.group")).extracting(OutboxItem::idemKey)
        .containsExactlyInAnyOrder("sop:2026-W48:tue-group:assistant-lily", "sop:2026-W48:tue-group:dr-wang");
    app.liuliang.testing.TestServer.awaitUntil(() -> fx.status("2026-W48", "tue-group").equals("sending"));
  }

  @Test
  void anItemWhoseJobMetAStoreErrorIsTriedAgainNotDropped() throws Exception {
    fx.write("sop/2026-W48.yaml", PLAN);
    fx.feature.reload();
    fx.engine().scheduler().unschedule("sop/2026-W48/tue-group");
    long before = System.currentTimeMillis();

    fx.engine().fireFailed("2026-W48", "tue-group", new IllegalStateException("database table is locked"));

    java.util.Optional<java.util.Date> next = fx.engine().scheduler().nextFire("sop/2026-W48/tue-group");
    assertThat(next).as("the one-shot trigger is back").isPresent();
    long inMillis = next.get().getTime() - before;
    assertThat(inMillis).isBetween(SopEngine.STORE_RETRY.toMillis() - 1_000, SopEngine.STORE_RETRY.toMillis() + 5_000);
    assertThat(fx.status("2026-W48", "tue-group")).isEqualTo("scheduled");
  }

  @Test
  void showPrintsTheWeekAsATable() throws Exception {
    fx.write("sop/2026-W48.yaml", PLAN);
    fx.feature.reload();
    String table = SopFeature.showWeek(fx.database, app.liuliang.app.Json.mapper(), "2026-W48", SopFixture.SHANGHAI);
    assertThat(table.lines().toList()).containsExactly(
        "DAY        TIME  KIND      STATUS     AUDIENCE                         TEXT",
        "Mon 11-23  09:30 moment    scheduled  assistant-lily: tags 需求-美白       护牙小知识",
        "Tue 11-24  20:00 group     scheduled  assistant-lily,dr-wang: their g… 群公告");
  }

  @Test
  void broadcastsAreConfirmedOrRemindedOnce() throws Exception {
    fx.write("sop/2026-W48.yaml", PLAN);
    fx.feature.reload();
    fx.clock.set(SopFixture.shanghai("2026-11-24T20:00"));
    fx.engine().fire("2026-W48", "tue-group");
    fx.engine().broadcastSent("sop:2026-W48:tue-group:assistant-lily", "msg-lily", null);
    fx.engine().broadcastSent("sop:2026-W48:tue-group:dr-wang", "msg-wang", null);
    assertThat(fx.status("2026-W48", "tue-group")).isEqualTo("sent");

    fx.wecom.answer("/cgi-bin/externalcontact/get_groupmsg_task",
        "{\"errcode\":0,\"task_list\":[{\"userid\":\"assistant-lily\",\"status\":2}]}");
    fx.engine().runTask("confirm");
    assertThat(fx.outbox("sop.remind")).as("not yet: remind_after is 3 h").isEmpty();

    fx.clock.advance(Duration.ofHours(3));
    fx.engine().runTask("confirm");
    fx.engine().runTask("confirm");
    assertThat(fx.outbox("sop.remind")).singleElement().satisfies(r -> {
      assertThat(r.api()).isEqualTo("/cgi-bin/externalcontact/remind_groupmsg_send");
      assertThat(r.body().path("msgid").asText()).isEqualTo("msg-wang");
    });

    fx.wecom.answer("/cgi-bin/externalcontact/get_groupmsg_task",
        "{\"errcode\":0,\"task_list\":[{\"userid\":\"dr-wang\",\"status\":2}]}");
    fx.engine().runTask("confirm");
    assertThat(fx.status("2026-W48", "tue-group")).isEqualTo("confirmed");
  }

  @Test
  void aMomentIsConfirmedOnlyWhenEveryValidSenderPublishedIt() throws Exception {
    momentTaskCreated("senders: [assistant-lily, dr-wang]");
    fx.wecom.answer("/cgi-bin/externalcontact/get_moment_task_result", "{\"errcode\":0,\"status\":3,\"result\":"
        + "{\"moment_id\":\"m-1\",\"invalid_sender_list\":{\"user_list\":[\"dr-wang\"]}}}");
    fx.wecom.answer("/cgi-bin/externalcontact/get_moment_task",
        "{\"errcode\":0,\"next_cursor\":\"\",\"task_list\":[{\"userid\":\"assistant-lily\",\"publish_status\":0}]}");
    fx.engine().runTask("confirm");

    assertThat(fx.status("2026-W48", "mon-tips")).as("the task is done, but lily has not published").isEqualTo("sent");
    assertThat(fx.deliveries("mon-tips")).containsExactly("assistant-lily=awaiting_publish", "dr-wang=invalid_sender");
    assertThat(fx.outbox("sop.remind")).as("not yet: remind_after is 3 h").isEmpty();

    fx.clock.advance(Duration.ofHours(3));
    fx.engine().runTask("confirm");
    fx.engine().runTask("confirm");
    assertThat(fx.outbox("sop.remind")).as("reminded once, by app message, only who has not published")
        .singleElement().satisfies(r -> {
          assertThat(r.api()).isEqualTo("/cgi-bin/message/send");
          assertThat(r.body().path("touser").asText()).isEqualTo("assistant-lily");
          assertThat(r.body().path("text").path("content").asText()).contains("客户朋友圈").contains("mon-tips");
        });

    fx.wecom.answer("/cgi-bin/externalcontact/get_moment_task",
        "{\"errcode\":0,\"next_cursor\":\"\",\"task_list\":[{\"userid\":\"assistant-lily\",\"publish_status\":1}]}");
    fx.engine().runTask("confirm");

    assertThat(fx.status("2026-W48", "mon-tips")).isEqualTo("confirmed");
    assertThat(fx.deliveries("mon-tips")).containsExactly("assistant-lily=published", "dr-wang=invalid_sender");
    long taskResultCalls = fx.wecom.calls.stream().filter(c -> c.contains("get_moment_task_result")).count();
    assertThat(taskResultCalls).as("the finished task is not asked again").isEqualTo(1);
  }

  @Test
  void aMomentEverySenderOfWhichWeComRefusedFails() throws Exception {
    momentTaskCreated("senders: [assistant-lily]");
    fx.wecom.answer("/cgi-bin/externalcontact/get_moment_task_result", "{\"errcode\":0,\"status\":3,\"result\":"
        + "{\"moment_id\":\"\",\"invalid_sender_list\":{\"user_list\":[\"assistant-lily\"]}}}");
    fx.engine().runTask("confirm");

    assertThat(fx.status("2026-W48", "mon-tips")).isEqualTo("failed");
    assertThat(fx.deliveries("mon-tips")).containsExactly("assistant-lily=invalid_sender");
  }

  /** Monday's Moment, with these senders, fired and accepted by WeCom as task job-1. */
  private void momentTaskCreated(String senders) throws Exception {
    fx.write("sop/2026-W48.yaml", PLAN.replace("senders: [assistant-lily]", senders));
    fx.feature.reload();
    fx.clock.set(SopFixture.shanghai("2026-11-23T09:30"));
    fx.engine().fire("2026-W48", "mon-tips");
    fx.engine().broadcastSent("sop:2026-W48:mon-tips:moment", "job-1", null);
  }

  @Test
  void mondayCheckTellsTheAdminsWhenTheWeekHasNoPlanAndSundaySummarizes() throws Exception {
    fx.engine().runTask("monday-check");
    assertThat(fx.outbox("sop.admin")).singleElement().satisfies(item ->
        assertThat(item.body().path("text").path("content").asText()).contains("2026-W48").contains("还没有运营计划"));

    fx.write("sop/2026-W48.yaml", PLAN);
    fx.feature.reload();
    fx.clock.set(SopFixture.shanghai("2026-11-24T20:00"));
    fx.engine().fire("2026-W48", "tue-group");
    fx.engine().fire("2026-W48", "mon-tips");
    fx.clock.set(SopFixture.shanghai("2026-11-29T20:00"));
    fx.engine().runTask("week-summary");
    assertThat(fx.outbox("sop.admin").get(0).body().path("text").path("content").asText())
        .isEqualTo("【SOP 周报】2026-W48：共 2 条；已发出 1，员工已确认 0，失败 0，错过 1，未到时间 0。");
  }
}
