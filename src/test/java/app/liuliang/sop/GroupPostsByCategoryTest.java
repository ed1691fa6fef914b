package app.liuliang.sop;

import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.wecom.OutboxItem;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A group post by category reaches the active groups of its categories, by owner; dismissed ones never. */
class GroupPostsByCategoryTest {

  private static final String PLAN = """
      week: 2026-W48
      groups:
        - {id: tue-vip, day: tue, at: "20:00", categories: [种植VIP群], text: 本周三晚陈医生在线答疑}
        - {id: wed-lily-vip, day: wed, at: "20:00", owners: [assistant-lily], categories: [种植VIP群], text: 只发小美的VIP群}
        - {id: thu-none, day: thu, at: "20:00", categories: [会员福利群], text: 会员日}
      """;

  private SopFixture fx;

  @AfterEach
  void tearDown() throws Exception {
    fx.close();
  }

  private void group(String chatId, String owner, String category, String status) {
    fx.database.jdbi().useHandle(h -> h.execute("INSERT INTO group_chats (chat_id, name, owner, category, status, "
        + "updated_at) VALUES (?, ?, ?, ?, ?, 0)", chatId, chatId, owner, category, status));
  }

  @Test
  void eachOwnerGetsOneBroadcastNamingTheirActiveGroupsOfTheCategory() throws Exception {
    fx = new SopFixture(Map.of("sop/2026-W48.yaml", PLAN));
    group("wrVip1", "assistant-lily", "种植VIP群", "active");
    group("wrVip2", "assistant-lily", "种植VIP群", "dismissed");
    group("wrVip3", "assistant-lily", "种植VIP群", "active");
    group("wrVip4", "dr-chen", "种植VIP群", "active");
    group("wrPerks1", "assistant-lily", "会员福利群", "dismissed");
    group("wrOther", "assistant-lily", null, "active");
    fx.feature.reload();
    fx.clock.set(SopFixture.shanghai("2026-11-24T20:00"));

    fx.engine().fire("2026-W48", "tue-vip");
    fx.clock.set(SopFixture.shanghai("2026-11-25T20:00"));
    fx.engine().fire("2026-W48", "wed-lily-vip");
    fx.clock.set(SopFixture.shanghai("2026-11-26T20:00"));
    fx.engine().fire("2026-W48", "thu-none");

    List<OutboxItem> posts = fx.outbox("sop.group");
    assertThat(posts).extracting(p -> p.idemKey() + " " + p.body().path("sender").asText() + " "
        + p.body().path("chat_id_list")).containsExactlyInAnyOrder(
        "sop:2026-W48:tue-vip:assistant-lily assistant-lily [\"wrVip1\",\"wrVip3\"]",
        "sop:2026-W48:tue-vip:dr-chen dr-chen [\"wrVip4\"]",
        "sop:2026-W48:wed-lily-vip:assistant-lily assistant-lily [\"wrVip1\",\"wrVip3\"]");
    assertThat(posts).allSatisfy(p -> assertThat(p.body().path("chat_type").asText()).isEqualTo("group"));
    assertThat(fx.engine().repository().item("2026-W48", "thu-none").orElseThrow().detail())
        .contains("no active groups in 会员福利群");

    fx.engine().fire("2026-W48", "tue-vip");
    assertThat(fx.outbox("sop.group")).as("never twice").hasSize(3);
  }

  @Test
  void anUnknownCategoryIsAProblemAtItsLine() throws Exception {
    fx = new SopFixture(Map.of("sop/2026-W48.yaml", PLAN.replace("categories: [会员福利群]", "categories: [正畸交流群]")));
    List<SopFeature.PlanResult> results = fx.feature.reload();

    assertThat(results).singleElement().satisfies(r -> {
      assertThat(r.valid()).isFalse();
      assertThat(r.problems()).singleElement().asString()
          .contains("2026-W48.yaml:5:").contains("unknown group category \"正畸交流群\"").contains("种植VIP群");
    });
  }

  @Test
  void aGroupPostNeedsOwnersOrCategories() throws Exception {
    fx = new SopFixture(Map.of("sop/2026-W48.yaml", """
        week: 2026-W48
        groups:
          - {id: tue-nobody, day: tue, at: "20:00", text: 群公告}
        """));
    assertThat(fx.feature.reload()).singleElement()
        .satisfies(r -> assertThat(r.problems()).singleElement().asString().contains("needs owners or categories"));
  }
}
