package app.liuliang.group;

import static app.liuliang.group.GroupScenario.MESSAGE_SEND;
import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.sandbox.CallbackSimulator;
import app.liuliang.testing.MutableClock;
import app.liuliang.testing.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** churn.digest_at: alerts wait for one daily message per recipient instead of going out one by one. */
class ChurnDigestIT {

  /** Wednesday 2026-11-25 10:00 in Shanghai. */
  private static final Instant MORNING = Instant.parse("2026-11-25T02:00:00Z");

  @Test
  void alertsOfTheDayGoOutAsOneDigestPerRecipientAtDigestTimeOnce() throws Exception {
    Path config = TestServer.copyConfig(Path.of("config"));
    Path groups = config.resolve("groups.yaml");
    Files.writeString(groups, Files.readString(groups).replace("churn:\n", "churn:\n  digest_at: \"18:00\"\n"));
    try (TestServer server = TestServer.builder().configDir(config).clock(new MutableClock(MORNING)).start()) {
      GroupScenario given = new GroupScenario(server);
      given.patient("wmA", "阿梅");
      given.patient("wmB", "阿彬");
      for (String ext : List.of("wmA", "wmB")) {
        server.postCallback(CallbackSimulator.externalContactChange(TestServer.CORP_ID, "del_follow_user",
            "assistant-lily", ext, server.clock().millis() / 1000));
      }
      given.awaitQuiet();
      TestServer.awaitUntil(() -> given.count("SELECT COUNT(*) FROM churn_alerts") == 2);
      assertThat(given.sent(MESSAGE_SEND)).isEmpty();

      server.clock().set(Instant.parse("2026-11-25T10:01:00Z"));
      TestServer.awaitUntil(() -> given.sent(MESSAGE_SEND).size() == 1);
      given.awaitQuiet();
      JsonNode digest = given.sent(MESSAGE_SEND).get(0);
      assertThat(digest.path("touser").asText()).isEqualTo("assistant-lily");
      assertThat(digest.path("text").path("content").asText())
          .startsWith("【今日流失提醒】11月25日，共 2 位患者：").contains("1. 患者：阿").contains("2. 患者：阿")
          .contains("阿梅").contains("阿彬");
      assertThat(given.count("SELECT COUNT(*) FROM churn_alerts WHERE digested_on = '2026-11-25'")).isEqualTo(2);

      // After the digest and a restart: a later alert waits for tomorrow's digest, which carries only it.
      server.restart();
      server.clock().advance(Duration.ofMinutes(5));
      given.patient("wmC", "阿超");
      server.postCallback(CallbackSimulator.externalContactChange(TestServer.CORP_ID, "del_follow_user",
          "assistant-lily", "wmC", server.clock().millis() / 1000));
      TestServer.awaitUntil(() -> given.count("SELECT COUNT(*) FROM churn_alerts WHERE digested_on IS NULL") == 1);
      server.clock().set(Instant.parse("2026-11-26T10:01:00Z"));
      TestServer.awaitUntil(() -> given.sent(MESSAGE_SEND).size() == 2);
      given.awaitQuiet();
      assertThat(given.sent(MESSAGE_SEND).get(1).path("text").path("content").asText())
          .startsWith("【今日流失提醒】11月26日，共 1 位患者：").contains("阿超").doesNotContain("阿梅");
      assertThat(given.sent(MESSAGE_SEND)).as("never twice, not even after a restart").hasSize(2);
    }
  }
}
