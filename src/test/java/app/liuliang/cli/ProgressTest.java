package app.liuliang.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressTest {

  private final StringWriter err = new StringWriter();
  private long nanos;

  @Test
  void quickRunsPrintNothing() {
    Progress progress = new Progress(new PrintWriter(err), "exporting", 3, () -> nanos, 2_000_000_000L);
    progress.step();
    progress.step();
    progress.step();
    progress.finish();

    assertThat(err.toString()).isEmpty();
  }

  @Test
  void longRunsDrawABarWhenTheTotalIsKnown() {
    Progress progress = new Progress(new PrintWriter(err), "exporting", 4, () -> nanos, 2_000_000_000L);
    progress.step();
    nanos = 3_000_000_000L;
    progress.step();
    progress.step();
    progress.step();
    progress.finish();

    assertThat(err.toString()).startsWith("\rexporting [###############---------------]  50% 2/4")
        .endsWith("\rexporting [##############################] 100% 4/4" + System.lineSeparator());
  }

  @Test
  void longRunsCountWhenTheTotalIsUnknown() {
    Progress progress = new Progress(new PrintWriter(err), "retrying", -1, () -> nanos, 0);
    progress.step();
    progress.finish();

    assertThat(err.toString()).isEqualTo("\rretrying: 1\rretrying: 1" + System.lineSeparator());
  }
}
