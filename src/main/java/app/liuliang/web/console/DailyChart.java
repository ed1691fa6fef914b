package app.liuliang.web.console;

import java.util.List;

/**
 * Adds per channel per day as inline SVG: one row per channel, one column per day, each cell a bar
 * scaled to the busiest day of any channel, with the day's count under it when not zero.
 */
final class DailyChart {

  /** One channel's counts, oldest day first. */
  record Series(String label, List<Long> perDay) {
  }

  private static final int LABEL_WIDTH = 96;
  private static final int CELL = 30;
  private static final int ROW = 44;
  private static final int MAX_LABELS = 15;

  private DailyChart() {
  }

  static String svg(String title, List<String> days, List<Series> series) {
    long max = Math.max(1, series.stream().flatMap(s -> s.perDay().stream()).mapToLong(Long::longValue).max().orElse(1));
    int width = LABEL_WIDTH + days.size() * CELL + 8;
    int height = series.size() * ROW + 24;
    StringBuilder svg = new StringBuilder()
        .append("<svg class=\"chart\" role=\"img\" viewBox=\"0 0 ").append(width).append(' ').append(height)
        .append("\" xmlns=\"http://www.w3.org/2000/svg\" aria-label=\"").append(BarChart.escape(title)).append("\">")
        .append("<title>").append(BarChart.escape(title)).append("</title>");
    // A day label is wider than its column past about 15 columns: then only every few columns are labelled.
    int labelEvery = Math.max(1, (days.size() + MAX_LABELS - 1) / MAX_LABELS);
    for (int d = 0; d < days.size(); d += labelEvery) {
      svg.append("<text x=\"").append(LABEL_WIDTH + d * CELL + CELL / 2).append("\" y=\"14\" text-anchor=\"middle\" "
          + "class=\"chart-value\">").append(BarChart.escape(days.get(d))).append("</text>");
    }
    for (int i = 0; i < series.size(); i++) {
      Series s = series.get(i);
      int top = 24 + i * ROW;
      svg.append("<text x=\"").append(LABEL_WIDTH - 8).append("\" y=\"").append(top + 22)
          .append("\" text-anchor=\"end\" class=\"chart-label\">").append(BarChart.escape(s.label())).append("</text>");
      for (int d = 0; d < s.perDay().size(); d++) {
        long value = s.perDay().get(d);
        long h = Math.round(26.0 * value / max);
        int x = LABEL_WIDTH + d * CELL + 4;
        svg.append("<rect x=\"").append(x).append("\" y=\"").append(top + 28 - h).append("\" width=\"").append(CELL - 8)
            .append("\" height=\"").append(Math.max(value > 0 ? 2 : 0, h)).append("\" rx=\"2\" class=\"chart-bar\"><title>")
            .append(BarChart.escape(s.label() + " " + days.get(d) + "：" + value)).append("</title></rect>");
        if (value > 0) {
          svg.append("<text x=\"").append(x + (CELL - 8) / 2).append("\" y=\"").append(top + 40)
              .append("\" text-anchor=\"middle\" class=\"chart-value\">").append(value).append("</text>");
        }
      }
    }
    return svg.append("</svg>").toString();
  }
}
