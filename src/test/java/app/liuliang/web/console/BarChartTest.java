package app.liuliang.web.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class BarChartTest {

  @Test
  void barsAreScaledToTheLargestValue() {
    String svg = BarChart.svg("各分层人数", List.of(new BarChart.Bar("意向", 10), new BarChart.Bar("已下单", 5),
        new BarChart.Bar("复购", 0)));

    assertThat(svg).startsWith("<svg class=\"chart\"").endsWith("</svg>")
        .contains("<title>各分层人数</title>")
        .contains("width=\"260\"").contains("width=\"130\"").contains("width=\"0\"")
        .contains(">意向</text>").contains(">10</text>");
  }

  @Test
  void labelsAreEscapedBecauseTheSvgIsInsertedRaw() {
    String svg = BarChart.svg("t", List.of(new BarChart.Bar("<script>alert('x')</script>", 1)));

    assertThat(svg).doesNotContain("<script>").contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
  }

  @Test
  void anEmptyChartIsStillValidSvg() {
    assertThat(BarChart.svg("空", List.of())).startsWith("<svg").endsWith("</svg>");
  }
}
