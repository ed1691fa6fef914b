package app.liuliang.sidebar;

import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.config.Problems;
import app.liuliang.config.YamlReader;
import app.liuliang.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code sidebar.yaml}: the shipped defaults, and its mistakes with file:line:column. */
class SidebarSettingsTest {

  @Test
  void theShippedFileHoldsTheDefaults() {
    Problems problems = new Problems();
    SidebarSettings settings = SidebarSettings.load(Path.of("config"), new YamlReader(), problems);

    assertThat(problems.isEmpty()).as(problems.toString()).isTrue();
    assertThat(settings).isEqualTo(SidebarSettings.defaults());
    assertThat(settings.session()).isEqualTo(Duration.ofMinutes(30));
    assertThat(settings.sdkOrigin()).isEqualTo("https://wwcdn.weixin.qq.com");
  }

  @Test
  void mistakesAreReportedWithTheirPlace() throws Exception {
    Path config = TestServer.copyConfig(Path.of("config"));
    Files.writeString(config.resolve(SidebarSettings.FILE), """
        public_url: scrm.clinic.cn
        sdk_url: ftp://example.com/sdk.js
        session: PT13H
        verify_file: WW_verify_missing123.txt
        """);
    Problems problems = new Problems();

    assertThat(SidebarSettings.load(config, new YamlReader(), problems)).isNull();

    assertThat(problems.toString()).contains("sidebar.yaml:1:").contains("public_url must be an http(s) address")
        .contains("sidebar.yaml:2:").contains("sdk_url must be an http(s) address")
        .contains("sidebar.yaml:3:").contains("session must be between PT1M and PT12H")
        .contains("sidebar.yaml:4:").contains("no file WW_verify_missing123.txt in the config folder");
  }

  @Test
  void aVerifyFileMustHaveWeComsName() throws Exception {
    Path config = TestServer.copyConfig(Path.of("config"));
    Files.writeString(config.resolve(SidebarSettings.FILE), "verify_file: ../secrets.txt\n");
    Problems problems = new Problems();

    assertThat(SidebarSettings.load(config, new YamlReader(), problems)).isNull();
    assertThat(problems.toString()).contains("sidebar.yaml:1:").contains("verify_file must be named WW_verify_");
  }
}
