package app.liuliang.contact;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.app.Settings;
import app.liuliang.store.StoreLocation;
import app.liuliang.store.TestStores;
import app.liuliang.testing.TestServer;
import app.liuliang.testing.WeComFake;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.time.temporal.ChronoUnit;
import java.time.temporal.IsoFields;
import java.util.Locale;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * Two server processes on one PostgreSQL run one week plan (clustered Quartz). A group post due while both
 * run goes out once; a second one goes out once although the node holding its trigger is killed with
 * {@code kill -9} just before it is due: the survivor recovers the trigger and fires it. Prints which node
 * held the trigger, in which state, and how late the survivor's post was.
 */
class ClusterSopIT {

  private static final ZoneId CLINIC = ZoneId.of("Asia/Shanghai");
  private static final String BOTH_ALIVE = "ClusterSop-both-alive 周四群公告";
  private static final String HOLDER_KILLED = "ClusterSop-holder-killed 周四群公告";

  @Test
  void aWeekPlanItemFiresOnceWithTwoNodesAndOnceWhenTheNodeHoldingItsTriggerDies() throws Exception {
    TestStores.assumePostgres();
    assertThat(Path.of("target/liuliang.jar")).as("built by mvn package, before the integration tests").exists();
    StoreLocation store = TestStores.freshPostgres();
    Path config = TestServer.copyConfigWithout("sop", "campaigns", "journeys.yaml");
    // Minutes are the plan's resolution: the first post at the next minute at least 50 s away (time for both
    // nodes to start), the second one a minute later.
    ZonedDateTime first = ZonedDateTime.now(CLINIC).plusSeconds(50).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
    ZonedDateTime second = first.plusMinutes(1);
    writePlan(config, first, second);

    try (WeComFake wecom = new WeComFake(Duration.ofMillis(40))) {
      String[] urls = new String[2];
      Process[] nodes = new Process[2];
      String[] ids = {"node-a", "node-b"};
      for (int n = 0; n < 2; n++) {
        int port = WelcomeCrashIT.freePort();
        urls[n] = "http://127.0.0.1:" + port;
        ProcessBuilder server = WelcomeCrashIT.serverProcess(wecom, Files.createTempDirectory("liuliang-node"), config,
            port);
        server.environment().putAll(TestStores.environment(store));
        server.environment().put(Settings.NODE_ID, ids[n]);
        nodes[n] = WelcomeCrashIT.start(server, urls[n]);
      }
      Jdbi db = Jdbi.create(store.url(), store.user(), store.password());
      try {
        WelcomeOutageIT.awaitUntil(Duration.ofMinutes(3), () -> posts(wecom, BOTH_ALIVE) > 0);

        // Just before the second post is due, find the node whose scheduler took its trigger, and kill it.
        sleepUntil(second.toInstant().minusSeconds(3));
        Optional<String[]> holder = Optional.empty();
        while (holder.isEmpty() && Instant.now().isBefore(second.toInstant().plusSeconds(2))) {
          holder = db.withHandle(h -> h.createQuery("SELECT instance_name, state FROM qrtz_fired_triggers "
                  + "WHERE trigger_name LIKE '%/thu-holder-killed'")
              .map((rs, ctx) -> new String[] {rs.getString(1), rs.getString(2)}).findFirst());
          Thread.sleep(20);
        }
        assertThat(holder).as("a node took the trigger").isPresent();
        int victim = holder.get()[0].equals("node-a") ? 0 : 1;
        long msBeforeDue = Duration.between(Instant.now(), second.toInstant()).toMillis();
        nodes[victim].destroyForcibly();
        nodes[victim].waitFor();
        int survivor = 1 - victim;

        WelcomeOutageIT.awaitUntil(Duration.ofMinutes(2), () -> posts(wecom, HOLDER_KILLED) > 0);
        long lateMs = Duration.between(second.toInstant(), Instant.now()).toMillis();
        System.out.printf("cluster sop: %s held the trigger (%s) and was killed %d ms before it was due; "
            + "%s posted it %d ms after the due minute%n", ids[victim], holder.get()[1], msBeforeDue, ids[survivor], lateMs);
        // Anything late would have shown by now.
        Thread.sleep(Duration.ofSeconds(15).toMillis());
        assertThat(posts(wecom, BOTH_ALIVE)).as("the post due while both nodes ran").isEqualTo(1);
        assertThat(posts(wecom, HOLDER_KILLED)).as("the post whose trigger holder died").isEqualTo(1);
        java.util.List<String> statuses = db.withHandle(h -> h.createQuery(
            "SELECT item_id || '=' || status FROM sop_items ORDER BY item_id").mapTo(String.class).list());
        assertThat(statuses).containsExactly("thu-both-alive=sent", "thu-holder-killed=sent");
      } finally {
        for (Process node : nodes) {
          node.destroy();
          node.waitFor();
        }
      }
    }
  }

  private static void writePlan(Path config, ZonedDateTime first, ZonedDateTime second) throws Exception {
    String week = first.get(IsoFields.WEEK_BASED_YEAR) + "-W" + String.format("%02d", first.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
    Files.createDirectories(config.resolve("sop"));
    Files.writeString(config.resolve("sop/" + week + ".yaml"), "week: " + week + "\ngroups:\n"
        + item("thu-both-alive", first, BOTH_ALIVE) + item("thu-holder-killed", second, HOLDER_KILLED));
  }

  private static String item(String id, ZonedDateTime at, String text) {
    String day = at.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ENGLISH).toLowerCase(Locale.ROOT);
    return "  - {id: " + id + ", day: " + day + ", at: \"" + at.format(DateTimeFormatter.ofPattern("HH:mm"))
        + "\", owners: [assistant-lily], text: " + text + "}\n";
  }

  private static int posts(WeComFake wecom, String text) {
    return wecom.wireMock().countRequestsMatching(postRequestedFor(urlPathEqualTo(WeComFake.BROADCAST))
        .withRequestBody(containing(text.split(" ")[0])).build()).getCount();
  }

  private static void sleepUntil(Instant at) throws InterruptedException {
    long ms = Duration.between(Instant.now(), at).toMillis();
    if (ms > 0) {
      Thread.sleep(ms);
    }
  }
}
