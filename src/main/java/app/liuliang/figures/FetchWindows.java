package app.liuliang.figures;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which days to ask WeCom for, in windows it accepts: {@code get_user_behavior_data} takes at most 30
 * days a call and only the last 180 days. The first run goes back {@value #MAX_DAYS_BACK} days; later
 * runs start after the last day fetched, but always ask the last {@value #REASK_DAYS} days again,
 * because WeCom still changes recent days. Today is never asked: it is not over.
 */
final class FetchWindows {

  static final int MAX_DAYS_PER_CALL = 30;
  static final int MAX_DAYS_BACK = 179;
  static final int REASK_DAYS = 3;

  /** Days {@code from} to {@code to}, both included. */
  record Window(LocalDate from, LocalDate to) {
  }

  private FetchWindows() {
  }

  /** Oldest first; empty when there is nothing to ask. */
  static List<Window> plan(LocalDate today, Optional<LocalDate> fetchedThrough) {
    LocalDate last = today.minusDays(1);
    LocalDate earliest = today.minusDays(MAX_DAYS_BACK);
    LocalDate reask = last.minusDays(REASK_DAYS - 1);
    LocalDate from = fetchedThrough.map(d -> min(d.plusDays(1), reask)).orElse(earliest);
    if (from.isBefore(earliest)) {
      from = earliest;
    }
    List<Window> windows = new ArrayList<>();
    for (LocalDate start = from; !start.isAfter(last); start = start.plusDays(MAX_DAYS_PER_CALL)) {
      windows.add(new Window(start, min(start.plusDays(MAX_DAYS_PER_CALL - 1), last)));
    }
    return windows;
  }

  private static LocalDate min(LocalDate a, LocalDate b) {
    return a.isBefore(b) ? a : b;
  }
}
