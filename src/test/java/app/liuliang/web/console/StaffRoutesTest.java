package app.liuliang.web.console;

import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.figures.StaffFigures;
import app.liuliang.figures.StaffFigures.Period;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The 员工 page's period and its chart buckets. */
class StaffRoutesTest {

  private static final LocalDate TODAY = LocalDate.of(2026, 12, 3);

  @Test
  void thePeriodDefaultsToTheLast30DaysAndStaysWithinWhatWeComKeeps() {
    assertThat(StaffRoutes.period(null, null, TODAY)).isEqualTo(new Period(TODAY.minusDays(29), TODAY));
    assertThat(StaffRoutes.period("2026-11-01", "2026-11-07", TODAY))
        .isEqualTo(new Period(LocalDate.of(2026, 11, 1), LocalDate.of(2026, 11, 7)));
    assertThat(StaffRoutes.period("2026-11-07", "2026-11-01", TODAY)).as("swapped")
        .isEqualTo(new Period(LocalDate.of(2026, 11, 1), LocalDate.of(2026, 11, 7)));
    assertThat(StaffRoutes.period("2025-01-01", "2027-01-01", TODAY)).as("180 days at most, nothing after today")
        .isEqualTo(new Period(TODAY.minusDays(179), TODAY));
    assertThat(StaffRoutes.period("2020-01-01", "2020-02-01", TODAY)).as("all before WeCom's 180 days")
        .isEqualTo(new Period(TODAY.minusDays(179), TODAY.minusDays(179)));
    assertThat(StaffRoutes.period("<script>", "11/03", TODAY)).isEqualTo(new Period(TODAY.minusDays(29), TODAY));
  }

  @Test
  void longPeriodsAreChartedPerWeekSummingTheDays() {
    List<LocalDate> days = new ArrayList<>();
    List<Long> perDay = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      days.add(TODAY.minusDays(9 - i));
      perDay.add((long) i);
    }
    String svg = StaffRoutes.chart("每周新增客户（按员工）", new StaffFigures.Daily(days, Map.of("小美", perDay)), true);

    assertThat(svg).contains("<title>小美 11/24：21</title>").contains("<title>小美 12/1：24</title>");
    assertThat(StaffRoutes.duration(Optional.of(90_000L))).isEqualTo("1 分钟");
    assertThat(StaffRoutes.duration(Optional.of(5_400_000L))).isEqualTo("1.5 小时");
    assertThat(StaffRoutes.duration(Optional.empty())).isEqualTo("—");
  }
}
