package app.liuliang.sop;

import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.config.Problems;
import app.liuliang.wecom.OutboxItem;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A week plan's 1:1 item can offer a customer group; Moments and group posts cannot. */
class PersonalGroupOfferTest {

  private SopFixture fx;

  @AfterEach
  void tearDown() throws Exception {
    if (fx != null) {
      fx.close();
    }
  }

  @Test
  void aPersonalItemCarriesTheGroupCodeAsAnImageAndItsLinkInTheText() throws Exception {
    fx = new SopFixture(Map.of(), app.liuliang.contact.ReferralCodes.none(),
        category -> Optional.of("https://wework.qpic.cn/wwpic/" + (category.equals("种植VIP群") ? "vip" : "club")));
    fx.write("sop/2026-W48.yaml", """
        week: 2026-W48
        personal:
          - id: wed-vip
            day: wed
            at: "19:00"
            audience: {tags: [需求-种植]}
            text: "{name}您好，种植VIP群扫码进{group_qr:种植VIP群}"
        """);
    fx.feature.reload();
    fx.contact("wm-a", "张女士", "intent", "assistant-lily", "需求-种植");

    fx.clock.set(SopFixture.shanghai("2026-11-25T19:00"));
    fx.engine().fire("2026-W48", "wed-vip");

    OutboxItem sent = fx.outbox.repository().findByKey("sop:2026-W48:wed-vip:wm-a").orElseThrow();
    assertThat(sent.body().path("text").path("content").asText()).isEqualTo("张女士您好，种植VIP群扫码进");
    assertThat(sent.body().path("attachments").toString()).contains("https://wework.qpic.cn/wwpic/vip");
  }

  @Test
  void anUnknownCategoryOrAnOfferInAMomentIsRefused() throws Exception {
    fx = new SopFixture();
    String plan = WeekTemplate.render(java.nio.file.Path.of("config"), "2026-W48")
        .replace("{name}您好，我是小美。上次您咨询的种植牙方案", "{name}您好{group_qr:没有这个群}。上次您咨询的种植牙方案");
    fx.write("sop/2026-W48.yaml", plan);
    Problems problems = new Problems();
    SopFeature.validatePlans(fx.configDir, java.util.List.of(fx.configDir.resolve("sop/2026-W48.yaml")), fx.yaml,
        app.liuliang.account.Accounts.load(fx.configDir, fx.yaml, new Problems()),
        app.liuliang.contact.TagCatalog.load(fx.configDir, fx.yaml, new Problems()),
        java.util.Set.of("种植VIP群", "会员福利群"), SopSettings.defaults(), SopFixture.SHANGHAI, problems);

    assertThat(problems.toString()).contains("2026-W48.yaml:").contains("unknown group category \"没有这个群\"");
  }
}
