package app.liuliang.ops;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.testing.MutableClock;
import app.liuliang.testing.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.github.tomakehurst.wiremock.client.WireMock;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * Each alert condition fires once (one app message to the admins through the outbox), is not told again
 * within {@code alerts.interval}, is told again after it while it lasts, and clears with one message; the
 * Prometheus rules name only metrics the server exports; {@code /metrics} behind the admin token.
 */
class AlertsIT {

  private static final Duration INTERVAL = Duration.ofHours(1);

  @Test
  void eachConditionFiresOnceAnIntervalAndClears() throws Exception {
    Path config = TestServer.copyConfig(Path.of("config"));
    Path backups = Files.createTempDirectory("liuliang-alert-backups");
    edit(config, "  folder: backups ", "  folder: " + backups + " ");
    MutableClock clock = new MutableClock(Instant.now());
    try (TestServer server = TestServer.builder().configDir(config).clock(clock).start()) {
      Alerts alerts = ops(server).alerts();
      Jdbi jdbi = server.wiring().foundation().database().jdbi();
      alerts.check();
      assertThat(notices(jdbi)).as("a healthy server tells nobody anything").isEmpty();

      // A refused send, a dead letter, WeCom refusing our IP at gettoken, a stuck inbox row, a day without backups.
      server.wecom().stubFor(WireMock.post(urlPathEqualTo("/cgi-bin/externalcontact/remark")).atPriority(1)
          .willReturn(okJson("{\"errcode\":40003,\"errmsg\":\"invalid userid\"}")));
      server.wiring().foundation().outbox().enqueue(app.liuliang.wecom.OutboxRequest.internal("alert-probe", "test",
          "/cgi-bin/externalcontact/remark", new ObjectMapper().createObjectNode(), clock.instant(), clock.instant().plusSeconds(600)));
      TestServer.awaitUntil(() -> count(jdbi, "SELECT COUNT(*) FROM outbox WHERE idem_key = 'alert-probe' AND status = 'failed'") == 1);
      meters(server).counter("liuliang.inbox.processed", "kind", "change_external_contact", "outcome", "dead").increment();
      clock.advance(Duration.ofHours(27));
      // The cached token has expired by now (2 h), and gettoken is refused: /ready's probe asks for one.
      var refused = server.wecom().stubFor(WireMock.get(urlPathEqualTo("/cgi-bin/gettoken")).atPriority(0)
          .willReturn(okJson("{\"errcode\":60020,\"errmsg\":\"not allow to access from your ip\"}")));
      assertThat(server.get("/ready").statusCode()).isEqualTo(503);
      long now = clock.millis();
      jdbi.useHandle(h -> h.execute("INSERT INTO inbox (event_key, kind, payload, received_at, status, attempts, next_attempt_at) "
          + "VALUES ('stuck', 'test', '<xml/>', ?, 'pending', 1, ?)", now - Duration.ofMinutes(10).toMillis(), now + 86_400_000));

      alerts.check();
      assertThat(notices(jdbi).keySet()).containsExactlyInAnyOrder("inbox_backlog", "dead_letters", "outbox_failures:40003",
          "token_refresh_failures", "trusted_ip_60020", "backup_age");
      assertThat(notices(jdbi).values()).allMatch(n -> n == 1);
      assertThat(texts(jdbi)).anyMatch(t -> t.contains("errcode 40003")).anyMatch(t -> t.contains("60020") && t.contains("企业可信IP"));

      clock.advance(Duration.ofMinutes(30));
      alerts.check();
      assertThat(notices(jdbi).values()).as("still firing, but told once per interval").allMatch(n -> n == 1);

      // The backlog and the backup age last past the interval: told again. The failures stopped rising
      // (the IP is trusted now, so the alerts themselves go out).
      server.wecom().removeStub(refused);
      TestServer.awaitUntil(() -> count(jdbi, "SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending')") == 0);
      clock.advance(Duration.ofMinutes(31));
      jdbi.useHandle(h -> h.execute("UPDATE inbox SET received_at = ? WHERE event_key = 'stuck'",
          clock.millis() - Duration.ofMinutes(10).toMillis()));
      alerts.check();
      assertThat(notices(jdbi)).containsEntry("inbox_backlog", 2L).containsEntry("backup_age", 2L);
      // Cleared once they rose no more for a whole interval: the dead letter and the refused send at once;
      // the token failures went on while the alerts themselves retried, so they clear an interval later.
      assertThat(cleared(jdbi)).contains("dead_letters", "outbox_failures:40003");

      // Mended: the row handled, a backup written.
      jdbi.useHandle(h -> h.execute("UPDATE inbox SET status = 'done' WHERE event_key = 'stuck'"));
      assertThat(ops(server).backups().orElseThrow().run()).isTrue();
      clock.advance(Duration.ofMinutes(61));
      Files.setLastModifiedTime(ops(server).backups().orElseThrow().newest().orElseThrow(), FileTime.fromMillis(clock.millis()));
      alerts.check();
      alerts.check();
      // (sends refused with 60020 while the IP was untrusted are outbox failures of their own, cleared too)
      assertThat(cleared(jdbi)).contains("inbox_backlog", "dead_letters", "outbox_failures:40003",
          "token_refresh_failures", "trusted_ip_60020", "backup_age").doesNotHaveDuplicates();
      assertThat(texts(jdbi)).anyMatch(t -> t.contains("【留量告警解除】已恢复：收件箱积压"));
      assertThat(notices(jdbi).values()).as("never more than once per interval: at most twice in these two hours")
          .allMatch(n -> n <= 2);
      assertThat(count(jdbi, "SELECT COUNT(*) FROM alert_state WHERE firing_since IS NOT NULL")).isZero();
      assertThat(count(jdbi, "SELECT COUNT(*) FROM outbox WHERE purpose = 'ops.alert' AND body NOT LIKE '%admin-zhang%'")).isZero();

      assertThat(metricsNamedByTheRules()).allSatisfy(name -> assertThat(scrape(server)).contains(name));
    }
  }

  @Test
  void diskFreeBelowTheThresholdIsTold() throws Exception {
    Path config = TestServer.copyConfig(Path.of("config"));
    edit(config, "  disk_free_percent: 10 ", "  disk_free_percent: 100 ");
    try (TestServer server = TestServer.builder().configDir(config).start()) {
      ops(server).alerts().check();
      ops(server).alerts().check();
      Jdbi jdbi = server.wiring().foundation().database().jdbi();
      assertThat(notices(jdbi)).containsExactly(Map.entry("disk_free", 1L));
      assertThat(scrape(server)).contains("liuliang_data_disk_free_ratio");
    }
  }

  @Test
  void metricsCanRequireTheAdminToken() throws Exception {
    Path config = TestServer.copyConfig(Path.of("config"));
    edit(config, "  require_token: false ", "  require_token: true ");
    try (TestServer server = TestServer.builder().configDir(config).start()) {
      assertThat(server.get("/metrics").statusCode()).isEqualTo(401);
      assertThat(server.get("/metrics", "Authorization", "Bearer wrong").statusCode()).isEqualTo(401);
      var scrape = server.get("/metrics", TestServer.admin());
      assertThat(scrape.statusCode()).isEqualTo(200);
      assertThat(scrape.body()).contains("liuliang_inbox_lag_seconds");
      assertThat(server.get("/health").statusCode()).isEqualTo(200);
    }
    try (TestServer open = TestServer.builder().start()) {
      assertThat(open.get("/metrics").statusCode()).isEqualTo(200);
    }
  }

  /** Changes one setting of the shipped config/app.yaml (which lists every key with its default). */
  private static void edit(Path config, String from, String to) throws Exception {
    String yaml = Files.readString(config.resolve("app.yaml"));
    assertThat(yaml).contains(from);
    Files.writeString(config.resolve("app.yaml"), yaml.replace(from, to));
  }

  /** Every liuliang_* series in deploy/liuliang-alerts.yml (each rule also has a summary and a severity). */
  private static List<String> metricsNamedByTheRules() throws Exception {
    JsonNode rules = new ObjectMapper(new YAMLFactory()).readTree(Path.of("deploy/liuliang-alerts.yml").toFile());
    List<String> names = new ArrayList<>();
    for (JsonNode rule : rules.path("groups").get(0).path("rules")) {
      assertThat(rule.path("labels").path("severity").asText()).isIn("warning", "critical");
      assertThat(rule.path("annotations").path("summary").asText()).isNotBlank();
      Matcher m = Pattern.compile("liuliang_[a-z_]+").matcher(rule.path("expr").asText());
      while (m.find()) {
        names.add(m.group());
      }
    }
    assertThat(names).contains("liuliang_inbox_lag_seconds", "liuliang_backup_last_success_timestamp_seconds");
    return names;
  }

  private static String scrape(TestServer server) throws Exception {
    return server.get("/metrics").body();
  }

  private static OpsFeature ops(TestServer server) {
    return server.wiring().features().stream().filter(OpsFeature.class::isInstance).map(OpsFeature.class::cast)
        .findFirst().orElseThrow();
  }

  private static MeterRegistry meters(TestServer server) {
    return server.wiring().foundation().meters();
  }

  /** Firing notices per condition, from the outbox keys alert/<condition>/<millis>. */
  private static Map<String, Long> notices(Jdbi jdbi) {
    Map<String, Long> byCondition = new LinkedHashMap<>();
    for (String key : jdbi.withHandle(h -> h.createQuery("SELECT idem_key FROM outbox WHERE purpose = 'ops.alert' "
        + "AND idem_key NOT LIKE '%/cleared/%' ORDER BY id").mapTo(String.class).list())) {
      byCondition.merge(key.substring("alert/".length(), key.lastIndexOf('/')), 1L, Long::sum);
    }
    return byCondition;
  }

  private static List<String> cleared(Jdbi jdbi) {
    return jdbi.withHandle(h -> h.createQuery("SELECT idem_key FROM outbox WHERE purpose = 'ops.alert' AND idem_key LIKE '%/cleared/%'")
        .mapTo(String.class).list()).stream().map(k -> k.substring("alert/".length(), k.indexOf("/cleared/"))).toList();
  }

  private static List<String> texts(Jdbi jdbi) {
    return jdbi.withHandle(h -> h.createQuery("SELECT body FROM outbox WHERE purpose = 'ops.alert'").mapTo(String.class).list());
  }

  private static long count(Jdbi jdbi, String sql) {
    return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
  }
}
