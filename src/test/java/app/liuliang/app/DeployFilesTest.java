package app.liuliang.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** deploy/: the systemd unit passes `systemd-analyze verify`, runs as a non-root user, and the nginx front sets X-Forwarded-For. */
class DeployFilesTest {

  private static final Path UNIT = Path.of("deploy/liuliang.service");

  @Test
  void theUnitRunsRunShAsANonRootUserRestartsOnFailureAndKeepsSecretsOutsideGit() throws Exception {
    String unit = Files.readString(UNIT);
    assertThat(unit).contains("User=liuliang").doesNotContain("User=root")
        .contains("ExecStart=/opt/liuliang/scripts/run.sh")
        .contains("Restart=on-failure").contains("RestartPreventExitStatus=2")
        .contains("KillSignal=SIGTERM").contains("SuccessExitStatus=143")
        .contains("EnvironmentFile=/etc/liuliang/liuliang.env")
        .contains("Environment=LIULIANG_LOG_DIR=");
    assertThat(unit).doesNotContain("WECOM_SECRET=");
    assertThat(Files.readString(Path.of("deploy/liuliang.env.example"))).contains("install -m 600");
  }

  @Test
  void theUnitPassesSystemdAnalyzeVerify() throws Exception {
    Path analyze = Path.of("/usr/bin/systemd-analyze");
    assumeTrue(Files.isExecutable(analyze), "systemd-analyze is not installed here");
    // verify checks that ExecStart exists: point it at this checkout's scripts/run.sh, nothing else changes.
    Path copy = Files.createTempDirectory("liuliang-unit").resolve("liuliang.service");
    Files.writeString(copy, Files.readString(UNIT).replace("ExecStart=/opt/liuliang/scripts/run.sh",
        "ExecStart=" + Path.of("scripts/run.sh").toAbsolutePath()));
    Process verify = new ProcessBuilder(analyze.toString(), "verify", copy.toString()).redirectErrorStream(true).start();
    assertThat(verify.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String output = new String(verify.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(verify.exitValue()).as(output).isZero();
    assertThat(output).as("no warnings either").isBlank();
  }

  @Test
  void nginxOverwritesXForwardedForAndTheDefaultsTrustNoProxy() throws Exception {
    String nginx = Files.readString(Path.of("deploy/nginx-liuliang.conf"));
    assertThat(nginx).contains("proxy_set_header X-Forwarded-For $remote_addr;").contains("ssl_certificate ")
        .contains("proxy_pass http://127.0.0.1:8080;").doesNotContain("$proxy_add_x_forwarded_for");
    assertThat(AppConfig.defaults().server().trustedProxies()).isEmpty();
  }
}
