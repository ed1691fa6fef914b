package app.liuliang.account;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * When an account answers: the days and one daily window, e.g. mon..sat 09:00–18:00.
 *
 * @param days  three-letter lower-case day names ({@code mon} .. {@code sun})
 * @param from  opening time, "HH:mm"
 * @param to    closing time, "HH:mm" (after {@code from}); "24:00" is the end of the day, so
 *              {@code from: "00:00", to: "24:00"} on every day is around the clock
 */
public record WorkingHours(List<String> days, String from, String to) {

  public static final List<String> DAY_NAMES = List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun");

  public WorkingHours {
    days = days == null ? DAY_NAMES : List.copyOf(days);
    from = from == null ? "09:00" : from;
    to = to == null ? "18:00" : to;
  }

  public Set<DayOfWeek> dayOfWeeks() {
    Set<DayOfWeek> set = EnumSet.noneOf(DayOfWeek.class);
    for (String d : days) {
      set.add(dayOfWeek(d));
    }
    return set;
  }

  public static DayOfWeek dayOfWeek(String name) {
    int index = DAY_NAMES.indexOf(name.toLowerCase(Locale.ROOT));
    if (index < 0) {
      throw new IllegalArgumentException("unknown day \"" + name + "\"");
    }
    return DayOfWeek.of(index + 1);
  }

  public LocalTime opens() {
    return LocalTime.parse(from);
  }

  public LocalTime closes() {
    return END_OF_DAY.equals(to) ? LocalTime.MAX : LocalTime.parse(to);
  }

  private static final String END_OF_DAY = "24:00";

  public boolean isOpen(ZonedDateTime at) {
    LocalTime time = at.toLocalTime();
    return dayOfWeeks().contains(at.getDayOfWeek()) && !time.isBefore(opens())
        && (time.isBefore(closes()) || closes().equals(LocalTime.MAX));
  }

  /** The next moment it is open, {@code at} itself when open now. */
  public ZonedDateTime nextOpening(ZonedDateTime at) {
    if (isOpen(at)) {
      return at;
    }
    ZonedDateTime candidate = at.with(opens()).withSecond(0).withNano(0);
    if (!candidate.isAfter(at)) {
      candidate = candidate.plusDays(1);
    }
    for (int i = 0; i < 8; i++) {
      if (dayOfWeeks().contains(candidate.getDayOfWeek())) {
        return candidate;
      }
      candidate = candidate.plusDays(1);
    }
    return candidate;
  }

  /** "周一至周六 09:00-18:00" style text for messages to patients. */
  public String describe() {
    String[] chinese = {"周一", "周二", "周三", "周四", "周五", "周六", "周日"};
    List<DayOfWeek> sorted = dayOfWeeks().stream().sorted().toList();
    String dayText;
    if (sorted.size() == 7) {
      dayText = "每天";
    } else if (isContiguous(sorted)) {
      dayText = chinese[sorted.get(0).ordinal()] + "至" + chinese[sorted.get(sorted.size() - 1).ordinal()];
    } else {
      dayText = String.join("、", sorted.stream().map(d -> chinese[d.ordinal()]).toList());
    }
    return dayText + " " + from + "-" + to;
  }

  private static boolean isContiguous(List<DayOfWeek> sorted) {
    for (int i = 1; i < sorted.size(); i++) {
      if (sorted.get(i).ordinal() != sorted.get(i - 1).ordinal() + 1) {
        return false;
      }
    }
    return !sorted.isEmpty();
  }
}
