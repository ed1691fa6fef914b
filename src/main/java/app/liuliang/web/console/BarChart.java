package app.liuliang.web.console;

import java.util.List;

/**
 * A horizontal bar chart as inline SVG, rendered on the server: no chart library, nothing fetched
 * by the browser. Labels are escaped here because the template inserts the SVG unescaped.
 */
final class BarChart {

  /** One bar. */
  record Bar(String label, long value) {
  }

  private static final int LABEL_WIDTH = 96;
  private static final int BAR_AREA = 260;
  private static final int VALUE_WIDTH = 56;
  private static final int ROW = 28;

  private BarChart() {
  }

  static String svg(String title, List<Bar> bars) {
    long max = Math.max(1, bars.stream().mapToLong(Bar::value).max().orElse(1));
    int width = LABEL_WIDTH + BAR_AREA + VALUE_WIDTH;
    int height = Math.max(1, bars.size()) * ROW + 8;
    StringBuilder svg = new StringBuilder()
        .append("<svg class=\"chart\" role=\"img\" viewBox=\"0 0 ").append(width).append(' ').append(height)
        .append("\" xmlns=\"http://www.w3.org/2000/svg\" aria-label=\"").append(escape(title)).append("\">")
        .append("<title>").append(escape(title)).append("</title>");
    for (int i = 0; i < bars.size(); i++) {
      Bar bar = bars.get(i);
      int y = 4 + i * ROW;
      long length = Math.round((double) BAR_AREA * bar.value() / max);
      svg.append("<text x=\"").append(LABEL_WIDTH - 8).append("\" y=\"").append(y + 18)
          .append("\" text-anchor=\"end\" class=\"chart-label\">").append(escape(bar.label())).append("</text>")
          .append("<rect x=\"").append(LABEL_WIDTH).append("\" y=\"").append(y + 4).append("\" width=\"")
          .append(Math.max(bar.value() > 0 ? 2 : 0, length)).append("\" height=\"18\" rx=\"3\" class=\"chart-bar\"/>")
          .append("<text x=\"").append(LABEL_WIDTH + length + 6).append("\" y=\"").append(y + 18)
          .append("\" class=\"chart-value\">").append(bar.value()).append("</text>");
    }
    return svg.append("</svg>").toString();
  }

  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
