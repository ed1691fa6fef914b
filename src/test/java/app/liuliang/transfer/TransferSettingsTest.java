package app.liuliang.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.config.Problems;
import app.liuliang.config.YamlReader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code config/transfer.yaml}: defaults without it, problems at file:line:column with it. */
class TransferSettingsTest {

  @TempDir
  Path config;

  @Test
  void withoutTheFileEveryKeyHasItsDefault() {
    TransferSettings settings = TransferSettings.load(config, new YamlReader(), new Problems());
    assertThat(settings.transferSuccessMsg()).isNull();
    assertThat(settings.followEvery()).hasMinutes(30);
    assertThat(settings.checkTime()).hasToString("09:00");
    assertThat(settings.moveGroups()).isTrue();
  }

  @Test
  void theShippedFileIsValid() {
    Problems problems = new Problems();
    TransferSettings settings = TransferSettings.load(Path.of("config"), new YamlReader(), problems);
    assertThat(problems.isEmpty()).as(problems.toString()).isTrue();
    assertThat(settings.transferSuccessMsg()).isNotBlank();
  }

  @Test
  void aTooLongMessageABadTimeAndAnUnknownKeyAreReportedWithTheirPlaces() throws Exception {
    Files.writeString(config.resolve("transfer.yaml"), "transfer_success_msg: " + "您".repeat(201) + "\n"
        + "follow_every: PT10S\n"
        + "unassigned_check_at: \"9 点\"\n"
        + "move_group: false\n");
    Problems problems = new Problems();
    assertThat(TransferSettings.load(config, new YamlReader(), problems)).isNull();
    String text = problems.toString();
    assertThat(text).contains("transfer.yaml:4:1").contains("move_group");
    Problems rules = new Problems();
    Files.writeString(config.resolve("transfer.yaml"), "transfer_success_msg: " + "您".repeat(201) + "\n"
        + "follow_every: PT10S\n"
        + "unassigned_check_at: \"9 点\"\n");
    assertThat(TransferSettings.load(config, new YamlReader(), rules)).isNull();
    assertThat(rules.toString()).contains("transfer.yaml:1:").contains("201 characters")
        .contains("transfer.yaml:2:").contains("follow_every must be between PT1M and PT24H")
        .contains("transfer.yaml:3:").contains("unassigned_check_at must be a time like 09:00");
  }
}
