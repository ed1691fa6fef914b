package app.liuliang.web.console;

import app.liuliang.figures.StaffFigures;
import app.liuliang.figures.StaffFigures.Period;
import app.liuliang.web.Routes;
import io.javalin.config.RoutesConfig;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The 员工 page ({@code /admin/staff?from=yyyy-MM-dd&to=yyyy-MM-dd}, the last 30 days by default): each
 * staff member by their accounts.yaml name with WeCom's figures for the period (new contacts, chats,
 * messages, reply rate and time, deletions) and Liuliang's own (hand-offs claimed, time to claim,
 * referrals), and new contacts per day (per week past {@value #DAILY_UP_TO} days) as an inline SVG chart.
 */
public final class StaffRoutes implements Routes {

  static final int DAYS = 30;
  /** WeCom keeps 180 days of behaviour data (today included): the earliest day the page offers. */
  static final int MAX_DAYS = 180;
  /** Longer periods are charted per week, so the bars stay readable. */
  static final int DAILY_UP_TO = 31;

  private final ConsoleRoutes console;
  private final StaffFigures figures;

  public StaffRoutes(ConsoleRoutes console, StaffFigures figures) {
    this.console = console;
    this.figures = figures;
  }

  @Override
  public void addTo(RoutesConfig routes) {
    routes.get("/admin/staff", ctx -> console.page(ctx, "staff", "员工",
        () -> model(ctx.queryParam("from"), ctx.queryParam("to"))));
  }

  /** The period asked for, inside the last {@value #MAX_DAYS} days; a bad date falls back to the default. */
  static Period period(String from, String to, LocalDate today) {
    LocalDate earliest = today.minusDays(MAX_DAYS - 1L);
    LocalDate end = parse(to).orElse(today);
    LocalDate start = parse(from).orElse(end.minusDays(DAYS - 1L));
    if (start.isAfter(end)) {
      LocalDate swap = start;
      start = end;
      end = swap;
    }
    end = end.isAfter(today) ? today : end.isBefore(earliest) ? earliest : end;
    start = start.isBefore(earliest) ? earliest : start.isAfter(end) ? end : start;
    return new Period(start, end);
  }

  private static Optional<LocalDate> parse(String date) {
    if (date == null || date.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(LocalDate.parse(date.trim()));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  Map<String, Object> model(String fromParam, String toParam) {
    LocalDate today = figures.today();
    Period period = period(fromParam, toParam, today);
    List<Map<String, Object>> rows = new ArrayList<>();
    for (StaffFigures.Summary s : figures.summaries(period)) {
      Map<String, Object> row = new HashMap<>();
      row.put("name", s.name());
      row.put("newContacts", s.newContacts());
      row.put("newApply", s.newApply());
      row.put("chats", s.chats());
      row.put("messages", s.messages());
      row.put("replyRate", s.replyRate().map(r -> String.format(Locale.ROOT, "%.0f%%", r)).orElse("—"));
      row.put("replyTime", s.avgReplyMinutes().map(StaffRoutes::minutes).orElse("—"));
      row.put("deletions", s.deletions());
      row.put("claimed", s.handoffsClaimed());
      row.put("claimMedian", duration(s.medianClaimMillis()));
      row.put("claimAverage", duration(s.averageClaimMillis()));
      row.put("referrals", s.referrals());
      row.put("error", s.error().orElse(""));
      rows.add(row);
    }
    long days = ChronoUnit.DAYS.between(period.from(), period.to()) + 1;
    Map<String, Object> model = new HashMap<>();
    model.put("staff", rows);
    model.put("days", days);
    model.put("from", period.from().toString());
    model.put("to", period.to().toString());
    model.put("earliest", today.minusDays(MAX_DAYS - 1L).toString());
    model.put("today", today.toString());
    model.put("period", label(period.from()) + " 至 " + label(period.to()));
    model.put("presets", presets(today));
    boolean weekly = days > DAILY_UP_TO;
    String title = weekly ? "每周新增客户（按员工）" : "每天新增客户（按员工）";
    model.put("chartTitle", title);
    model.put("chart", chart(title, figures.daily(period), weekly));
    return model;
  }

  /** 近 7 / 30 / 90 / 180 天, as links. */
  private static List<Map<String, String>> presets(LocalDate today) {
    List<Map<String, String>> presets = new ArrayList<>();
    for (int n : new int[] {7, DAYS, 90, MAX_DAYS}) {
      presets.add(Map.of("label", "近 " + n + " 天", "from", today.minusDays(n - 1L).toString(), "to", today.toString()));
    }
    return presets;
  }

  /** The chart of new contacts, one bar per day, or per 7 days from the period's first (the last may be shorter). */
  static String chart(String title, StaffFigures.Daily daily, boolean weekly) {
    int step = weekly ? 7 : 1;
    List<LocalDate> days = daily.days();
    List<String> labels = new ArrayList<>();
    for (int i = 0; i < days.size(); i += step) {
      labels.add(label(days.get(i)));
    }
    List<DailyChart.Series> series = new ArrayList<>();
    daily.newContactsByName().forEach((name, perDay) -> {
      List<Long> buckets = new ArrayList<>();
      for (int i = 0; i < perDay.size(); i += step) {
        buckets.add(perDay.subList(i, Math.min(perDay.size(), i + step)).stream().mapToLong(Long::longValue).sum());
      }
      series.add(new DailyChart.Series(name, buckets));
    });
    return DailyChart.svg(title, labels, series);
  }

  private static String label(LocalDate day) {
    return day.getMonthValue() + "/" + day.getDayOfMonth();
  }

  private static String minutes(double m) {
    return m < 1 ? "不到 1 分钟" : String.format(Locale.ROOT, "%.0f 分钟", m);
  }

  /** 12 分钟, 3.5 小时, or — without claims. */
  static String duration(Optional<Long> millis) {
    if (millis.isEmpty()) {
      return "—";
    }
    long seconds = millis.get() / 1000;
    if (seconds < 60) {
      return seconds + " 秒";
    }
    if (seconds < 3600) {
      return (seconds / 60) + " 分钟";
    }
    return String.format(Locale.ROOT, "%.1f 小时", seconds / 3600.0);
  }
}
