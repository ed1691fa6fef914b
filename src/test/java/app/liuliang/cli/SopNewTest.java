package app.liuliang.cli;

import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.sop.SopFeature;
import app.liuliang.testing.TestServer;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code liuliang sop new [WEEK]}: next week's plan from the template, week filled in, validated; never overwritten. */
class SopNewTest {

  private final CliRun cli = new CliRun();
  private final StringWriter out = cli.out;
  private final StringWriter err = cli.err;

  private int run(String... args) {
    return cli.run(args);
  }

  @Test
  void writesTheWeekFromTheTemplateAndValidatesIt() throws Exception {
    Path config = TestServer.copyConfig(Path.of("config"));

    int code = run("sop", "new", "2026-W50", "--config-dir", config.toString());

    assertThat(code).as(err.toString()).isZero();
    Path plan = config.resolve("sop/2026-W50.yaml");
    String text = Files.readString(plan);
    assertThat(text).contains("week: 2026-W50").contains("2026 年第 50 周（12 月 7 日 周一 — 12 月 13 日 周日）")
        .doesNotContain("{week}").doesNotContain("{monday}");
    assertThat(out.toString()).contains("wrote").contains("SOP OK");
    // The template is not a plan the server loads.
    assertThat(SopFeature.planFiles(config)).contains(plan).noneMatch(p -> p.toString().contains("templates"));

    assertThat(run("sop", "new", "2026-W50", "--config-dir", config.toString())).isEqualTo(1);
    assertThat(err.toString()).contains("already exists");
    assertThat(Files.readString(plan)).isEqualTo(text);
  }

  @Test
  void aWeekAcrossTheYearGetsItsIsoYearAndABadWeekIsRefused() throws Exception {
    Path config = TestServer.copyConfig(Path.of("config"));

    assertThat(run("sop", "new", "2027-W01", "--config-dir", config.toString())).as(err.toString()).isZero();
    assertThat(Files.readString(config.resolve("sop/2027-W01.yaml"))).contains("（1 月 4 日 周一 — 1 月 10 日 周日）");
    assertThat(run("sop", "new", "next", "--config-dir", config.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("WEEK looks like 2026-W49");
  }
}
