package app.liuliang.figures;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which days the daily fetch asks WeCom for: at most 30 a call, 179 back, the last 3 again. */
class FetchWindowsTest {

  private static final LocalDate TODAY = LocalDate.of(2026, 12, 3);

  @Test
  void theFirstRunGoesBack179DaysInSixWindowsOfAtMost30() {
    List<FetchWindows.Window> windows = FetchWindows.plan(TODAY, Optional.empty());

    assertThat(windows).hasSize(6);
    assertThat(windows.get(0).from()).isEqualTo(TODAY.minusDays(179));
    assertThat(windows.get(5).to()).isEqualTo(TODAY.minusDays(1));
    assertThat(windows).allSatisfy(w -> assertThat(ChronoUnit.DAYS.between(w.from(), w.to()) + 1).isBetween(1L, 30L));
    for (int i = 1; i < windows.size(); i++) {
      assertThat(windows.get(i).from()).isEqualTo(windows.get(i - 1).to().plusDays(1));
    }
  }

  @Test
  void aLaterRunAsksTheLastThreeDaysAgain() {
    assertThat(FetchWindows.plan(TODAY, Optional.of(TODAY.minusDays(1))))
        .containsExactly(new FetchWindows.Window(TODAY.minusDays(3), TODAY.minusDays(1)));
  }

  @Test
  void aRunAfterAGapResumesAfterTheLastDayFetchedButNeverBefore179DaysBack() {
    assertThat(FetchWindows.plan(TODAY, Optional.of(TODAY.minusDays(10))).get(0).from()).isEqualTo(TODAY.minusDays(9));
    assertThat(FetchWindows.plan(TODAY, Optional.of(TODAY.minusDays(400))).get(0).from()).isEqualTo(TODAY.minusDays(179));
  }
}
