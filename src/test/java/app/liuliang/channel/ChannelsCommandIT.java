package app.liuliang.channel;

import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.app.Main;
import app.liuliang.testing.TestServer;
import app.liuliang.testing.WeComFake;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code liuliang channels list|poster|sync} on a store a server filled (the shipped config, as the
 * command reads {@code ./config}); and the sandbox, which makes its codes without a corp.
 */
class ChannelsCommandIT {

  @Test
  void listAndPosterWorkOnTheServersStoreAndSyncNeedsARealCorp() throws Exception {
    Path data = Files.createTempDirectory("liuliang-channels");
    try (WeComFake wecom = new WeComFake(Duration.ZERO);
        TestServer server = TestServer.builder().wecom(wecom).dataDir(data).start()) {
      ChannelCodesFeature codes = server.wiring().features().stream().filter(ChannelCodesFeature.class::isInstance)
          .map(ChannelCodesFeature.class::cast).findFirst().orElseThrow();
      TestServer.awaitUntil(() -> codes.codes().stream().allMatch(ChannelCodesFeature.CodeView::hasQr));
    }
    Run list = run("channels", "list", "--data-dir", data.toString());
    assertThat(list.exit).as(list.err + list.out).isZero();
    assertThat(list.out).contains("lc.meituan.east").contains("美团 · 城东分院").contains("active").contains("小美");

    Path poster = data.resolve("east.png");
    Run written = run("channels", "poster", "meituan", "--store", "城东分院", "--out", poster.toString(),
        "--data-dir", data.toString());
    assertThat(written.exit).as(written.err).isZero();
    BufferedImage image = ImageIO.read(poster.toFile());
    assertThat(image.getWidth()).isEqualTo(PosterRenderer.WIDTH);

    Run unknown = run("channels", "poster", "meituan", "--store", "西城", "--out", poster.toString(),
        "--data-dir", data.toString());
    assertThat(unknown.exit).isEqualTo(1);
    assertThat(unknown.err).contains("no code declared for channel meituan and store 西城");

    Run sync = run("channels", "sync", "--data-dir", data.toString());
    assertThat(sync.exit).isEqualTo(1);
    assertThat(sync.err).contains("sandbox");
  }

  @Test
  void theSandboxMakesItsCodesWithRealQrImages() throws Exception {
    try (TestServer server = TestServer.builder().env(app.liuliang.app.Settings.CORP_ID, "").start()) {
      ChannelCodesFeature codes = server.wiring().features().stream().filter(ChannelCodesFeature.class::isInstance)
          .map(ChannelCodesFeature.class::cast).findFirst().orElseThrow();
      TestServer.awaitUntil(() -> codes.codes().stream().allMatch(ChannelCodesFeature.CodeView::hasQr));
      assertThat(codes.codes()).allSatisfy(c -> assertThat(c.configId()).startsWith("cw"));
      assertThat(QrImages.isImage(codes.qr("lc.douyin").orElseThrow())).isTrue();
    }
  }

  private record Run(int exit, String out, String err) {
  }

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }
}
