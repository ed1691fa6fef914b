package app.liuliang.contact;

import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.config.Problems;
import app.liuliang.config.YamlReader;
import app.liuliang.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code referral.yaml}: the shipped file, and its mistakes with file:line:column. */
class ReferralSettingsTest {

  @Test
  void theShippedFileHasThreeTiersAndCountsAfterThreeDays() {
    ReferralSettings settings = ReferralSettings.load(Path.of("config"), new YamlReader(), new Problems());

    assertThat(settings.programme().tiers()).extracting(ReferralSettings.Tier::friends).containsExactly(1, 3, 5);
    assertThat(settings.programme().countsAfter()).isEqualTo(Duration.ofDays(3));
    assertThat(settings.personalCode().fromLayer()).isEqualTo("ordered");
    assertThat(settings.programme().next(1).orElseThrow().reward()).isEqualTo("儿童免费涂氟");
  }

  @Test
  void mistakesAreReportedWithTheirPlace() throws Exception {
    Path config = TestServer.copyConfig(Path.of("config"));
    Files.writeString(config.resolve("referral.yaml"), """
        personal_code:
          from_layer: vip
          quota_alert_percent: 120
        programme:
          tiers:
            - friends: 1
              reward: 洁牙券
              text: 送您洁牙券
            - friends: 1
              reward: 涂氟
              text: 送您涂氟
            - friends: 0
              reward: ''
        """);
    Problems problems = new Problems();

    assertThat(ReferralSettings.load(config, new YamlReader(), problems)).isNull();

    assertThat(problems.toString()).contains("referral.yaml:2:").contains("unknown layer \"vip\"")
        .contains("quota_alert_percent must be 1..100").contains("two tiers for 1 friends")
        .contains("friends must be at least 1").contains("a tier needs a reward and a text");
  }
}
