package app.liuliang.group;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChurnDigestTest {

  @Test
  void aLongDayFitsWeComsTextLimitAndSaysHowManyMoreThereAre() {
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      texts.add("【流失提醒】患者：患者" + i + "\n分层：意向\n标签：已入群-种植VIP、来源-美团\n最近互动：到诊 2026-11-20 10:00\n已删除员工 小美。");
    }

    String digest = ChurnDigest.compose(LocalDate.of(2026, 11, 25), texts);

    assertThat(digest.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(2000);
    assertThat(digest).startsWith("【今日流失提醒】11月25日，共 40 位患者：").contains("1. 患者：患者0")
        .doesNotContain("【流失提醒】").containsPattern("……另有 \\d+ 位，请在控制台「客户群」页查看。$");
  }
}
