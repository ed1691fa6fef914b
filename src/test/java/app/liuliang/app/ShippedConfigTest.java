package app.liuliang.app;

import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.config.Problems;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The config/ folder we ship must validate: it is what a new clinic starts from. */
class ShippedConfigTest {

  @Test
  void shippedConfigValidates() {
    Problems problems = new Problems();
    Settings settings = Settings.load(Map.of(Settings.CONFIG_DIR, "config"), problems);
    problems.addAll(Wiring.validate(settings));

    assertThat(problems.toString()).isEmpty();
  }
}
