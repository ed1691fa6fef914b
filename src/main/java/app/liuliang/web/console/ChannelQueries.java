package app.liuliang.web.console;

import app.liuliang.channel.ChannelCodesFeature;
import app.liuliang.contact.ChannelCatalog;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * The 渠道 page: each channel code with its QR and poster, the patients it brought (today, 7 and 30
 * days), how many were welcomed, how many moved on to intent and to ordered; and adds per channel
 * per day over the last two weeks.
 */
final class ChannelQueries {

  static final int CHART_DAYS = 14;
  private static final String INTENT_OR_LATER = "('intent', 'ordered', 'repeat', 'super')";
  private static final String ORDERED_OR_LATER = "('ordered', 'repeat', 'super')";
  private static final Map<String, String> STATUS = Map.of("active", "已生效", "creating", "创建中", "failed", "创建失败",
      "deleted", "已删除", "pending", "待创建");

  /** One row of the table. */
  record CodeRow(String state, String label, String staff, String status, String error, boolean hasQr, long today,
      long week, long month, long total, long welcomed, String intentShare, String orderedShare) {
  }

  private final Jdbi jdbi;
  private final ConsoleTime time;

  ChannelQueries(Jdbi jdbi, ConsoleTime time) {
    this.jdbi = jdbi;
    this.time = time;
  }

  Map<String, Object> page(ChannelCodesFeature codes) {
    long today = time.startOf(time.today());
    long week = time.startOf(time.today().minusDays(6));
    long month = time.startOf(time.today().minusDays(29));
    List<CodeRow> rows = new ArrayList<>();
    Map<String, Map<String, Long>> all = counts(today, week, month);
    Map<String, Long> none = new HashMap<>();
    COLUMNS.forEach(column -> none.put(column, 0L));
    for (ChannelCodesFeature.CodeView code : codes.codes()) {
      Map<String, Long> n = all.getOrDefault(code.declared().channel().id() + "\n" + code.declared().storeId(), none);
      long total = n.get("total");
      rows.add(new CodeRow(code.state(), code.label(), String.join("、", code.staff()),
          STATUS.getOrDefault(code.status(), code.status()), code.error(), code.hasQr(), n.get("today"), n.get("week"),
          n.get("month"), total, n.get("welcomed"), share(n.get("intent"), total), share(n.get("ordered"), total)));
    }
    Map<String, Object> model = new HashMap<>();
    model.put("codes", rows);
    model.put("clinic", codes.catalog().clinic());
    model.put("chart", chart(codes.catalog()));
    return model;
  }

  private static final List<String> COLUMNS = List.of("total", "today", "week", "month", "intent", "ordered", "welcomed");

  /** The figures of every (channel, store) in one pass over the contacts, keyed "channel\nstore". */
  private Map<String, Map<String, Long>> counts(long today, long week, long month) {
    return jdbi.withHandle(h -> h.createQuery("SELECT channel, store, "
            + "COUNT(*) AS total, "
            + "COALESCE(SUM(CASE WHEN added_at >= :today THEN 1 ELSE 0 END), 0) AS today, "
            + "COALESCE(SUM(CASE WHEN added_at >= :week THEN 1 ELSE 0 END), 0) AS week, "
            + "COALESCE(SUM(CASE WHEN added_at >= :month THEN 1 ELSE 0 END), 0) AS month, "
            + "COALESCE(SUM(CASE WHEN layer IN " + INTENT_OR_LATER + " THEN 1 ELSE 0 END), 0) AS intent, "
            + "COALESCE(SUM(CASE WHEN layer IN " + ORDERED_OR_LATER + " THEN 1 ELSE 0 END), 0) AS ordered, "
            + "COALESCE(SUM(CASE WHEN EXISTS (SELECT 1 FROM welcomes w WHERE w.external_userid = c.external_userid "
            + "  AND w.status = 'sent') THEN 1 ELSE 0 END), 0) AS welcomed "
            + "FROM contacts c GROUP BY channel, store")
        .bind("today", today).bind("week", week).bind("month", month)
        .reduceResultSet(new HashMap<String, Map<String, Long>>(), (acc, rs, ctx) -> {
          Map<String, Long> out = new HashMap<>();
          for (String column : COLUMNS) {
            out.put(column, rs.getLong(column));
          }
          acc.put(rs.getString("channel") + "\n" + rs.getString("store"), out);
          return acc;
        }));
  }

  private String chart(ChannelCatalog catalog) {
    LocalDate first = time.today().minusDays(CHART_DAYS - 1);
    long from = time.startOf(first);
    Map<String, long[]> perChannel = new LinkedHashMap<>();
    catalog.channels().forEach(c -> perChannel.put(c.id(), new long[CHART_DAYS]));
    record Added(String channel, long at) {
    }
    List<Added> added = jdbi.withHandle(h -> h.createQuery("SELECT channel, added_at FROM contacts WHERE added_at >= :from")
        .bind("from", from).map((rs, ctx) -> new Added(rs.getString(1), rs.getLong(2))).list());
    for (Added a : added) {
      long[] days = perChannel.get(a.channel());
      int day = (int) (time.dayOf(a.at()).toEpochDay() - first.toEpochDay());
      if (days != null && day >= 0 && day < CHART_DAYS) {
        days[day]++;
      }
    }
    List<String> labels = new ArrayList<>();
    for (int d = 0; d < CHART_DAYS; d++) {
      labels.add(String.valueOf(first.plusDays(d).getDayOfMonth()));
    }
    List<DailyChart.Series> series = new ArrayList<>();
    for (ChannelCatalog.Channel c : catalog.channels()) {
      long[] days = perChannel.get(c.id());
      series.add(new DailyChart.Series(c.name(), java.util.Arrays.stream(days).boxed().toList()));
    }
    return DailyChart.svg("近 " + CHART_DAYS + " 天每天新增患者（按渠道）", labels, series);
  }

  private static String share(long part, long total) {
    return total == 0 ? "—" : Math.round(100.0 * part / total) + "%";
  }
}
