package app.liuliang.app;

import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.config.Problems;
import app.liuliang.sop.SopFeature;
import app.liuliang.testing.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The config/ folder we ship must validate: it is what a new clinic starts from. */
class ShippedConfigTest {

  @Test
  void shippedConfigValidates() {
    assertThat(validate(Path.of("config")).toString()).isEmpty();
  }

  @Test
  void theShippedExampleWeekAndCampaignAreOnlyTemplatesAndValidateWhenUsed() throws IOException {
    assertThat(SopFeature.planFiles(Path.of("config"))).as("no plan for a past week or campaign ships").isEmpty();
    Path config = TestServer.copyConfig(Path.of("config"));
    Path week = TestServer.writeWeekPlan(config, "2027-W02");
    Path campaign = TestServer.addExampleCampaign(config);

    assertThat(validate(config).toString()).isEmpty();
    assertThat(SopFeature.planFiles(config)).containsExactly(week, campaign);
  }

  @Test
  void validateAlsoChecksWeekPlansAndCampaigns() throws IOException {
    Path config = TestServer.copyConfig(Path.of("config"));
    Path plan = TestServer.writeWeekPlan(config, "2026-W48");
    Files.writeString(plan, Files.readString(plan).replaceFirst("week: 2026-W48", "week: 2026-W49"));
    Path campaign = TestServer.addExampleCampaign(config);
    Files.writeString(campaign, Files.readString(campaign).replaceFirst("senders: \\[assistant-lily]", "senders: [nobody]"));

    String problems = validate(config).toString();

    assertThat(problems).contains(plan + ":").contains("2026-W49").contains(campaign + ":").contains("nobody");
  }

  @Test
  void validateChecksTheSameFilesTheServerLoadsYmlIncluded() throws IOException {
    Path config = TestServer.copyConfig(Path.of("config"));
    Path plan = config.resolve("sop/2026-W49.yml");
    Files.writeString(plan, "week: 2026-W49\nitems: nope\n");

    assertThat(validate(config).toString()).contains(plan + ":");
  }

  @Test
  void everyBrokenFileIsReportedInOneRun() throws IOException {
    Path config = TestServer.copyConfig(Path.of("config"));
    Path accounts = config.resolve("accounts.yaml");
    Files.writeString(accounts, Files.readString(accounts).replaceFirst("\n    persona: assistant", "\n    persona: robot"));
    Path sop = config.resolve("sop.yaml");
    Files.writeString(sop, Files.readString(sop) + "\nno_such_key: 1\n");
    Path plan = TestServer.writeWeekPlan(config, "2026-W48");
    Files.writeString(plan, Files.readString(plan).replaceFirst("at: \"09:30\"", "at: \"29:30\""));
    Path channels = config.resolve("channels.yaml");
    Files.writeString(channels, Files.readString(channels).replace("remark: 美团团购", "remark: 美团团购美团团购美团团购美团团购美团团购美团团购美团团购美团团购"));

    String problems = validate(config).toString();

    assertThat(problems).contains(accounts + ":").contains(sop + ":").contains(plan + ":").contains(channels + ":");
  }

  private static Problems validate(Path configDir) {
    Problems problems = new Problems();
    Settings settings = Settings.load(Map.of(Settings.CONFIG_DIR, configDir.toString()), problems);
    problems.addAll(Wiring.validate(settings));
    return problems;
  }
}
