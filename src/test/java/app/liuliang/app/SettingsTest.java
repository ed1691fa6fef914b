package app.liuliang.app;

import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.config.Problems;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsTest {

  private static final Map<String, String> REAL_CORP = Map.of(
      Settings.CORP_ID, "wwreal", Settings.AGENT_ID, "1000005", Settings.SECRET, "s3cret",
      Settings.TOKEN, "tok", Settings.AES_KEY, "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C",
      Settings.CONFIG_DIR, "config");

  @Test
  void noCorpIdMeansSandboxWithDefaults() {
    Problems problems = new Problems();
    Settings settings = Settings.load(Map.of(Settings.CONFIG_DIR, "config"), problems);

    assertThat(problems.isEmpty()).isTrue();
    assertThat(settings.wecom().sandbox()).isTrue();
    assertThat(settings.port()).isEqualTo(8080);
    assertThat(settings.dataDir()).isEqualTo(Path.of("./data"));
    assertThat(settings.adminToken()).isEmpty();
  }

  @Test
  void environmentOverridesConfigAndNamesTheRealCorp() {
    Problems problems = new Problems();
    Map<String, String> env = new java.util.HashMap<>(REAL_CORP);
    env.put(Settings.PORT, "9090");
    env.put(Settings.API_BASE_URL, "http://127.0.0.1:9999");
    env.put(Settings.ADMIN_TOKEN, "admin");

    Settings settings = Settings.load(env, problems);

    assertThat(problems.isEmpty()).isTrue();
    assertThat(settings.wecom().sandbox()).isFalse();
    assertThat(settings.wecom().apiBaseUrl()).isEqualTo("http://127.0.0.1:9999");
    assertThat(settings.port()).isEqualTo(9090);
    assertThat(settings.adminToken()).contains("admin");
  }

  @Test
  void realCorpTalksToTheRealApiByDefault() {
    Settings settings = Settings.load(REAL_CORP, new Problems());

    assertThat(settings.wecom().apiBaseUrl()).isEqualTo("https://qyapi.weixin.qq.com");
  }

  @Test
  void missingSecretsAndABadKeyAreAllReported() {
    Problems problems = new Problems();
    Settings.load(Map.of(Settings.CORP_ID, "wwreal", Settings.AES_KEY, "short", Settings.PORT, "http",
        Settings.CONFIG_DIR, "config"), problems);

    assertThat(problems.toString())
        .contains("WECOM_SECRET is not set").contains("WECOM_TOKEN is not set")
        .contains("WECOM_AES_KEY is not a valid").contains("WECOM_AGENT_ID").contains("LIULIANG_PORT");
  }

  @Test
  void secretsNeverAppearInTheCredentialsLogLine() {
    String line = Settings.load(REAL_CORP, new Problems()).wecom().toString();

    assertThat(line).contains("wwreal").doesNotContain("s3cret").doesNotContain("jWmYm7").doesNotContain("tok,");
  }
}
