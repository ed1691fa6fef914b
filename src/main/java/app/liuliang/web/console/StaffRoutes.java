package app.liuliang.web.console;

import app.liuliang.figures.StaffFigures;
import app.liuliang.web.Routes;
import io.javalin.config.RoutesConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The 员工 page ({@code /admin/staff}): each staff member by their accounts.yaml name with the last 30
 * days of WeCom's figures (new contacts, chats, messages, reply rate and time, deletions) and
 * Liuliang's own (hand-offs claimed, time to claim, referrals), and new contacts per day as a chart.
 */
public final class StaffRoutes implements Routes {

  static final int DAYS = 30;

  private final ConsoleRoutes console;
  private final StaffFigures figures;

  public StaffRoutes(ConsoleRoutes console, StaffFigures figures) {
    this.console = console;
    this.figures = figures;
  }

  @Override
  public void addTo(RoutesConfig routes) {
    routes.get("/admin/staff", ctx -> console.page(ctx, "staff", "员工", this::model));
  }

  Map<String, Object> model() {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (StaffFigures.Summary s : figures.summaries(DAYS)) {
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
    StaffFigures.Daily daily = figures.daily(DAYS);
    List<String> days = daily.days().stream().map(d -> d.getMonthValue() + "/" + d.getDayOfMonth()).toList();
    List<DailyChart.Series> series = daily.newContactsByName().entrySet().stream()
        .map(e -> new DailyChart.Series(e.getKey(), e.getValue())).toList();
    Map<String, Object> model = new HashMap<>();
    model.put("staff", rows);
    model.put("days", DAYS);
    model.put("chart", DailyChart.svg("每天新增客户（按员工）", days, series));
    return model;
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
