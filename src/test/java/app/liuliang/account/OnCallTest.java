package app.liuliang.account;

import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.config.ConfigProblem;
import app.liuliang.config.Problems;
import app.liuliang.config.YamlReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The on-call doctor of accounts.yaml: hours of its own (24/7 allowed), checked like the rest. */
class OnCallTest {

  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

  @Test
  void toTwentyFourHundredIsAroundTheClock() {
    WorkingHours always = new WorkingHours(null, "00:00", "24:00");
    assertThat(always.isOpen(ZonedDateTime.of(2026, 11, 25, 7, 50, 0, 0, SHANGHAI))).isTrue();
    assertThat(always.isOpen(ZonedDateTime.of(2026, 11, 25, 23, 59, 59, 0, SHANGHAI))).isTrue();
    assertThat(always.isOpen(ZonedDateTime.of(2026, 11, 29, 0, 0, 0, 0, SHANGHAI))).isTrue();
    WorkingHours nights = new WorkingHours(List.of("sat"), "18:00", "24:00");
    assertThat(nights.isOpen(ZonedDateTime.of(2026, 11, 28, 17, 0, 0, 0, SHANGHAI))).isFalse();
    assertThat(nights.isOpen(ZonedDateTime.of(2026, 11, 28, 23, 30, 0, 0, SHANGHAI))).isTrue();
  }

  @Test
  void shippedAccountsHaveARoundTheClockOnCallDoctor() {
    Problems problems = new Problems();
    Accounts accounts = Accounts.load(Path.of("config"), new YamlReader(), problems);
    assertThat(problems.sorted()).isEmpty();
    assertThat(accounts.onCall().account()).isEqualTo("dr-wang");
    assertThat(accounts.onCall().hours().isOpen(ZonedDateTime.of(2026, 11, 25, 3, 0, 0, 0, SHANGHAI))).isTrue();
  }

  @Test
  void anUnknownOrNonDoctorOnCallAccountIsReportedWithFileLineAndColumn() throws Exception {
    Path dir = Files.createTempDirectory("accounts");
    Files.writeString(dir.resolve(Accounts.FILE), """
        accounts:
          - id: lily
            persona: assistant
            nickname: 小美
        on_call:
          account: lily
          hours: {from: "20:00", to: "08:00"}
        """);
    Problems problems = new Problems();
    assertThat(Accounts.load(dir, new YamlReader(), problems)).isNull();
    List<String> lines = problems.sorted().stream().map(ConfigProblem::toString).toList();
    assertThat(lines).anySatisfy(l -> assertThat(l).contains(":6:").contains("\"lily\" is not a doctor"));
    assertThat(lines).anySatisfy(l -> assertThat(l).contains(":7:").contains("closing time 08:00 is not after opening 20:00"));
  }
}
