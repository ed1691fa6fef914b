package app.liuliang.sop;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/** A week's items as a fixed-width table for the terminal. */
final class SopTable {

  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("EEE MM-dd", Locale.ENGLISH);
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm");

  private SopTable() {
  }

  static String render(List<SopRepository.StoredItem> items, ZoneId zone) {
    if (items.isEmpty()) {
      return "no items stored for this week (is the server running with the plan loaded?)\n";
    }
    StringBuilder out = new StringBuilder(String.format("%-10s %-5s %-9s %-10s %-32s %s%n",
        "DAY", "TIME", "KIND", "STATUS", "AUDIENCE", "TEXT"));
    for (SopRepository.StoredItem s : items) {
      ZonedDateTime due = Instant.ofEpochMilli(s.item().dueAt()).atZone(zone);
      out.append(String.format("%-10s %-5s %-9s %-10s %-32s %s%n", DAY.format(due), TIME.format(due), s.item().kind(),
          s.status(), clip(SopRepository.audienceText(s.item()), 32), s.item().preview()));
    }
    return out.toString();
  }

  private static String clip(String text, int width) {
    return text.length() <= width ? text : text.substring(0, width - 1) + "…";
  }
}
