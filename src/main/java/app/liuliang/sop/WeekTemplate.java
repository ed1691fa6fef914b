package app.liuliang.sop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAccessor;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The week plan template ({@code config/sop/templates/week.yaml}) and how a week is filled in. The
 * shipped example week lives only here: a plan file for a past week would make a fresh start report
 * every one of its items as missed.
 */
public final class WeekTemplate {

  /** Relative to the config folder; a subfolder, so the server never loads it as a plan. */
  public static final String PATH = "sop/templates/week.yaml";

  private static final Pattern WEEK = Pattern.compile("(\\d{4})-W(\\d{2})");

  private WeekTemplate() {
  }

  /** The Monday of an ISO week such as {@code 2026-W49}; empty when it does not look like one. */
  public static Optional<LocalDate> monday(String week) {
    Matcher m = WEEK.matcher(week);
    if (!m.matches()) {
      return Optional.empty();
    }
    return Optional.of(LocalDate.of(Integer.parseInt(m.group(1)), 1, 4)
        .with(IsoFields.WEEK_OF_WEEK_BASED_YEAR, Integer.parseInt(m.group(2))).with(DayOfWeek.MONDAY));
  }

  /** The ISO week name of the week a day falls in, e.g. {@code 2027-W01}. */
  public static String name(TemporalAccessor day) {
    return String.format("%d-W%02d", day.get(IsoFields.WEEK_BASED_YEAR), day.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
  }

  /** The template text with the week, its number and its dates filled in. */
  public static String fill(String template, LocalDate monday) {
    return template.replace("{week}", name(monday))
        .replace("{year}", String.valueOf(monday.get(IsoFields.WEEK_BASED_YEAR)))
        .replace("{number}", String.valueOf(monday.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR)))
        .replace("{monday}", chinese(monday)).replace("{sunday}", chinese(monday.plusDays(6)));
  }

  /** The config folder's template, filled in for {@code week}. */
  public static String render(Path configDir, String week) {
    LocalDate monday = monday(week).orElseThrow(() -> new IllegalArgumentException("not an ISO week: " + week));
    try {
      return fill(Files.readString(configDir.resolve(PATH)), monday);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A day as operators write it: {@code 12 月 7 日}. */
  public static String chinese(LocalDate day) {
    return day.getMonthValue() + " 月 " + day.getDayOfMonth() + " 日";
  }
}
