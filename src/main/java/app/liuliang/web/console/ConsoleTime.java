package app.liuliang.web.console;

import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAdjusters;

/** The clinic's clock and calendar (settings' timezone) as the console shows them. */
final class ConsoleTime {

  private static final DateTimeFormatter SHORT = DateTimeFormatter.ofPattern("MM-dd HH:mm");
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm");
  private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("MM-dd HH:mm:ss");
  private static final String[] WEEKDAYS = {"周一", "周二", "周三", "周四", "周五", "周六", "周日"};

  private final Clock clock;
  private final ZoneId zone;

  ConsoleTime(Clock clock, ZoneId zone) {
    this.clock = clock;
    this.zone = zone;
  }

  long now() {
    return clock.millis();
  }

  LocalDate today() {
    return LocalDate.now(clock.withZone(zone));
  }

  long startOf(LocalDate day) {
    return day.atStartOfDay(zone).toInstant().toEpochMilli();
  }

  long startOfToday() {
    return startOf(today());
  }

  LocalDate mondayOfThisWeek() {
    return today().with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
  }

  LocalDate dayOf(long millis) {
    return Instant.ofEpochMilli(millis).atZone(zone).toLocalDate();
  }

  String shortTime(Long millis) {
    return millis == null || millis == 0 ? "" : SHORT.format(Instant.ofEpochMilli(millis).atZone(zone));
  }

  /** With seconds, for the sandbox's list of sends (several a second). */
  String secondsTime(long millis) {
    return SECONDS.format(Instant.ofEpochMilli(millis).atZone(zone));
  }

  String clockTime(long millis) {
    return CLOCK.format(Instant.ofEpochMilli(millis).atZone(zone));
  }

  String dayLabel(LocalDate day) {
    return day.getMonthValue() + "月" + day.getDayOfMonth() + "日 " + WEEKDAYS[day.getDayOfWeek().getValue() - 1];
  }

  /** "3 天 2 小时", "5 小时 12 分", "8 分": how long ago, as staff say it. */
  String ageSince(long millis) {
    long minutes = Math.max(0, (clock.millis() - millis) / 60_000);
    long days = minutes / 1440;
    long hours = minutes % 1440 / 60;
    long mins = minutes % 60;
    if (days > 0) {
      return days + " 天 " + hours + " 小时";
    }
    if (hours > 0) {
      return hours + " 小时 " + mins + " 分";
    }
    return mins + " 分";
  }

  ZoneId zone() {
    return zone;
  }
}
