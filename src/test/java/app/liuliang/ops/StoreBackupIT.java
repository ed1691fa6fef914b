package app.liuliang.ops;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.liuliang.app.AppConfig;
import app.liuliang.app.Main;
import app.liuliang.sandbox.CallbackSimulator;
import app.liuliang.store.Database;
import app.liuliang.testing.MutableClock;
import app.liuliang.testing.TestServer;
import app.liuliang.wecom.OutboxRequest;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Backups taken while callbacks pour in, restored into a new folder, rotated; restore's refusals. */
class StoreBackupIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** An event Liuliang does not handle (stored, then skipped), numbered so the copy can be searched. */
  private static String numbered(int seq, long createTime) {
    return "<xml><ToUserName><![CDATA[" + TestServer.CORP_ID + "]]></ToUserName><FromUserName><![CDATA[sys]]></FromUserName>"
        + "<CreateTime>" + createTime + "</CreateTime><MsgType><![CDATA[event]]></MsgType>"
        + "<Event><![CDATA[backup_probe]]></Event><Seq>" + seq + "</Seq></xml>";
  }

  @Test
  void aBackupDuringABurstHoldsEveryCallbackAcknowledgedBeforeItBegan() throws Exception {
    try (TestServer server = TestServer.builder().clock(MutableClock.atSystemTime()).start()) {
      Set<Integer> acked = ConcurrentHashMap.newKeySet();
      AtomicInteger next = new AtomicInteger();
      int total = 1_200;
      ExecutorService posters = Executors.newFixedThreadPool(4);
      List<Future<?>> running = new java.util.ArrayList<>();
      for (int t = 0; t < 4; t++) {
        running.add(posters.submit(() -> {
          for (int seq = next.getAndIncrement(); seq < total; seq = next.getAndIncrement()) {
            if (server.postCallback(numbered(seq, server.clock().millis() / 1000)).statusCode() == 200) {
              acked.add(seq);
            }
          }
          return null;
        }));
      }
      TestServer.awaitUntil(() -> acked.size() >= 300);
      Set<Integer> ackedBefore = new HashSet<>(acked);
      Path out = Files.createTempDirectory("liuliang-backup").resolve("during-burst.db");
      StoreBackup.Result result = StoreBackup.backup(server.dataDir(), server.configDir(), out);
      boolean burstStillRunning = next.get() < total;
      for (Future<?> f : running) {
        f.get(60, TimeUnit.SECONDS);
      }
      posters.shutdown();

      assertThat(burstStillRunning).as("the backup ran while callbacks were still arriving").isTrue();
      assertThat(StoreBackup.verify(out)).containsKeys("inbox", "outbox", "contacts", "flyway_schema_history");
      assertThat(result.rowCounts().get("inbox")).isGreaterThanOrEqualTo(ackedBefore.size());
      Set<Integer> inCopy = new HashSet<>();
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + out);
           Statement st = c.createStatement();
           ResultSet rs = st.executeQuery("SELECT payload FROM inbox WHERE payload LIKE '%<Seq>%'")) {
        while (rs.next()) {
          String p = rs.getString(1);
          inCopy.add(Integer.parseInt(p.substring(p.indexOf("<Seq>") + 5, p.indexOf("</Seq>"))));
        }
      }
      assertThat(inCopy).containsAll(ackedBefore);
      assertThat(acked).hasSize(total);
      assertThat(result.mediaFiles()).isEqualTo(mediaFiles(server.configDir()));
    }
  }

  @Test
  void restoredIntoANewFolderTheServerStartsAndResumesPendingWork() throws Exception {
    MutableClock clock = MutableClock.atSystemTime();
    WireMockServer wecom = TestServer.startWeCom();
    Path backups = Files.createTempDirectory("liuliang-backups");
    try {
      Path backup = backups.resolve("before-the-disk-died.db");
      Path oldConfig;
      try (TestServer server = TestServer.builder().wecom(wecom).clock(clock).start()) {
        oldConfig = server.configDir();
        // Work still to do when the backup is taken: an app message due in an hour.
        server.wiring().foundation().outbox().enqueue(OutboxRequest.internal("restore-probe", "test",
            "/cgi-bin/message/send", JSON.createObjectNode().put("touser", "admin-zhang").put("msgtype", "text")
                .put("agentid", 1000002).set("text", JSON.createObjectNode().put("content", "resume me")),
            clock.instant().plus(Duration.ofHours(1)), clock.instant().plus(Duration.ofDays(1))));
        // The store's second connection is a separate process in production: the CLI, while the server runs.
        assertThat(cli("store", "backup", "--out", backup.toString(), "--data-dir", server.dataDir().toString(),
            "--config-dir", server.configDir().toString(), "--database-url", "jdbc:postgresql://127.0.0.1/liuliang"))
            .as("the store is PostgreSQL: liuliang.db is not it").isEqualTo(1);
        assertThat(backup).doesNotExist();
        assertThat(cli("store", "backup", "--out", backup.toString(), "--data-dir", server.dataDir().toString(),
            "--config-dir", server.configDir().toString())).isZero();

        Path held = server.dataDir();
        assertThatThrownBy(() -> StoreBackup.restore(backup, held, server.configDir()))
            .hasMessageContaining("running server holds");
      }
      Path nonEmpty = Files.createTempDirectory("liuliang-busy");
      Files.writeString(nonEmpty.resolve("liuliang.db"), "someone's store");
      assertThatThrownBy(() -> StoreBackup.restore(backup, nonEmpty, oldConfig)).hasMessageContaining("not empty");
      assertThat(cli("store", "restore", backup.toString(), "--data-dir", nonEmpty.toString(),
          "--config-dir", oldConfig.toString())).isEqualTo(1);

      // The new machine: an empty data folder, and a config checkout whose media/ was not copied.
      Path newData = Files.createTempDirectory("liuliang-new").resolve("data");
      Path newConfig = TestServer.copyConfig(Path.of("config"));
      try (Stream<Path> media = Files.list(newConfig.resolve("media"))) {
        for (Path f : media.toList()) {
          Files.delete(f);
        }
      }
      assertThat(cli("store", "restore", backup.toString(), "--data-dir", newData.toString(),
          "--config-dir", newConfig.toString())).isZero();
      assertThat(mediaFiles(newConfig)).isEqualTo(mediaFiles(oldConfig)).isPositive();

      try (TestServer restored = TestServer.builder().wecom(wecom).clock(clock).dataDir(newData).configDir(newConfig).start()) {
        clock.advance(Duration.ofHours(2));
        TestServer.awaitUntil(() -> !wecom.findAll(postRequestedFor(urlPathEqualTo("/cgi-bin/message/send"))
            .withRequestBody(matchingJsonPath("$.text[?(@.content == 'resume me')]"))).isEmpty());
        int mediaTables = restored.wiring().foundation().database().jdbi().withHandle(h -> h.createQuery(
            "SELECT COUNT(*) FROM sqlite_master WHERE name = 'backup_media'").mapTo(Integer.class).one());
        assertThat(mediaTables).isZero();
      }
    } finally {
      wecom.stop();
    }
  }

  @Test
  void scheduledBackupsAreNamedByClinicTimeAndOnlyTheNewestAreKept() throws Exception {
    Path root = Files.createTempDirectory("liuliang-sched");
    Path dataDir = root.resolve("data");
    Database.open(dataDir).close();
    Files.writeString(root.resolve("backups-mine.txt"), "not ours");
    MutableClock clock = new MutableClock(Instant.parse("2026-12-01T19:30:00Z"));
    ScheduledBackups backups = new ScheduledBackups(dataDir, root.resolve("config"),
        new AppConfig.Backup(null, "backups", 3), clock, ZoneId.of("Asia/Shanghai"), new SimpleMeterRegistry());
    for (int day = 0; day < 5; day++) {
      assertThat(backups.run()).isTrue();
      clock.advance(Duration.ofDays(1));
    }
    Files.writeString(root.resolve("backups").resolve("my-own-copy.db"), "kept");
    assertThat(backups.run()).isTrue();
    try (Stream<Path> files = Files.list(root.resolve("backups"))) {
      assertThat(files.map(f -> f.getFileName().toString()).sorted().toList()).containsExactly(
          "liuliang-20261205-033000.db", "liuliang-20261206-033000.db", "liuliang-20261207-033000.db", "my-own-copy.db");
    }
    assertThat(backups.newest()).contains(root.resolve("backups").resolve("liuliang-20261207-033000.db"));
    assertThat(StoreBackup.verify(backups.newest().orElseThrow())).containsKey("inbox");
  }

  @Test
  void aDamagedBackupDoesNotVerify() throws Exception {
    Path file = Files.createTempFile("liuliang-damaged", ".db");
    Files.write(file, new byte[8192]);
    assertThatThrownBy(() -> StoreBackup.verify(file)).isInstanceOf(StoreBackup.BackupException.class);
  }

  private static long mediaFiles(Path configDir) throws Exception {
    try (Stream<Path> files = Files.walk(configDir.resolve("media"))) {
      return files.filter(Files::isRegularFile).count();
    }
  }

  private static int cli(String... args) {
    CommandLine cli = Main.commandLine();
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err));
    cli.setOut(new PrintWriter(new StringWriter()));
    int code = cli.execute(args);
    return code;
  }
}
