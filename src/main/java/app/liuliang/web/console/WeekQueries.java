package app.liuliang.web.console;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/** This week's and next week's SOP items as a calendar, and each plan file's latest check. */
final class WeekQueries {

  private static final int DAYS = 14;
  private static final int PREVIEW_CHARS = 60;

  record Item(String week, String itemId, String time, String kind, String text, String status, String statusLabel,
      String audience) {
  }

  record Day(String label, boolean today, List<Item> items) {
  }

  /** Two rows of seven days, Monday first. */
  record Calendar(List<Day> thisWeek, List<Day> nextWeek, long total) {
  }

  record Plan(String week, String file, String status, String loadedAt, List<String> errors) {
  }

  private final Jdbi jdbi;
  private final ConsoleTime time;

  WeekQueries(Jdbi jdbi, ConsoleTime time) {
    this.jdbi = jdbi;
    this.time = time;
  }

  Calendar calendar() {
    LocalDate monday = time.mondayOfThisWeek();
    LocalDate today = time.today();
    long from = time.startOf(monday);
    long to = time.startOf(monday.plusDays(DAYS));
    List<Day> days = new ArrayList<>();
    for (int i = 0; i < DAYS; i++) {
      LocalDate day = monday.plusDays(i);
      days.add(new Day(time.dayLabel(day), day.equals(today), new ArrayList<>()));
    }
    List<Object[]> rows = jdbi.withHandle(h -> h.createQuery("SELECT week, item_id, kind, due_at, audience, "
            + "text_preview, status FROM sop_items WHERE due_at >= :from AND due_at < :to AND status <> 'removed' "
            + "ORDER BY due_at, week, item_id")
        .bind("from", from).bind("to", to)
        .map((rs, ctx) -> new Object[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
            rs.getString(5), rs.getString(6), rs.getString(7)})
        .list());
    for (Object[] r : rows) {
      long due = (Long) r[3];
      int index = (int) (time.dayOf(due).toEpochDay() - monday.toEpochDay());
      String status = (String) r[6];
      days.get(index).items().add(new Item((String) r[0], (String) r[1], time.clockTime(due),
          Labels.sopKind((String) r[2]), preview((String) r[5]), status, Labels.sopStatus(status), (String) r[4]));
    }
    return new Calendar(days.subList(0, 7), days.subList(7, DAYS), rows.size());
  }

  List<Plan> plans() {
    return jdbi.withHandle(h -> h.createQuery("SELECT week, file, status, errors, loaded_at FROM sop_plans "
            + "ORDER BY CASE WHEN status = 'invalid' THEN 0 ELSE 1 END, file")
        .map((rs, ctx) -> new Plan(rs.getString(1), rs.getString(2), rs.getString(3),
            time.shortTime(rs.getLong(5)), lines(rs.getString(4))))
        .list());
  }

  private static List<String> lines(String errors) {
    if (errors == null || errors.isBlank()) {
      return List.of();
    }
    return Arrays.stream(errors.split("\\R")).filter(l -> !l.isBlank()).toList();
  }

  private static String preview(String text) {
    if (text == null) {
      return "";
    }
    String flat = text.replaceAll("\\s+", " ").trim();
    return flat.codePointCount(0, flat.length()) <= PREVIEW_CHARS ? flat
        : flat.substring(0, flat.offsetByCodePoints(0, PREVIEW_CHARS)) + "…";
  }
}
