package app.liuliang.cli;

import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.app.Settings;
import app.liuliang.config.Problems;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The start-up line says whether the console is protected, open (sandbox) or off. */
class ServeCommandTest {

  private static Settings settings(Map<String, String> env) {
    return Settings.load(env, new Problems());
  }

  @Test
  void sandboxWithoutTokenSaysTheConsoleIsOpen() {
    assertThat(ServeCommand.consoleLine(settings(Map.of(Settings.CONFIG_DIR, "config")), 8080))
        .isEqualTo("Console: http://localhost:8080/admin is OPEN without sign-in (sandbox mode, LIULIANG_ADMIN_TOKEN not set)");
  }

  @Test
  void aTokenMeansSignIn() {
    assertThat(ServeCommand.consoleLine(settings(Map.of(Settings.CONFIG_DIR, "config", Settings.ADMIN_TOKEN, "s3cret")), 8080))
        .isEqualTo("Console: http://localhost:8080/admin (sign in with LIULIANG_ADMIN_TOKEN)")
        .doesNotContain("s3cret");
  }

  @Test
  void aRealCorpWithoutTokenHasTheConsoleOff() {
    Settings real = settings(Map.of(Settings.CONFIG_DIR, "config", Settings.CORP_ID, "wwcorp", Settings.AGENT_ID, "1000002",
        Settings.SECRET, "s", Settings.TOKEN, "t", Settings.AES_KEY, "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"));
    assertThat(ServeCommand.consoleLine(real, 8080)).isEqualTo("Console: off (set LIULIANG_ADMIN_TOKEN to turn it on)");
  }
}
