package app.liuliang.transfer;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.app.ClusterNode;
import app.liuliang.store.Database;
import app.liuliang.store.StoreKind;
import app.liuliang.store.TestStores;
import app.liuliang.testing.MutableClock;
import app.liuliang.testing.TestServer;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Two nodes, each with its transfer timers: the daily unassigned-customers notice pages WeCom and tells the admins
 * once a day, the day after its node died too; the follow-up runs on one node per round.
 */
class TransfersOnTwoNodesIT {

  @ParameterizedTest
  @MethodSource("app.liuliang.store.TestStores#kinds")
  void theDailyNoticeGoesOnceADayAndTheFollowUpRunsOnOneNode(StoreKind kind) throws Exception {
    ZoneId shanghai = ZoneId.of("Asia/Shanghai");
    MutableClock clock = new MutableClock(Instant.parse("2026-12-01T02:00:00Z"));
    Path config = TestServer.copyConfig(Path.of("config"));
    WireMockServer wecom = TestServer.startWeCom();
    wecom.stubFor(post(urlPathEqualTo(TransferScenario.UNASSIGNED)).atPriority(2).willReturn(okJson(
        "{\"errcode\":0,\"errmsg\":\"ok\",\"info\":[{\"handover_userid\":\"dr-left\",\"external_userid\":\"wmA\","
            + "\"dimission_time\":1700000000}],\"is_last\":true,\"next_cursor\":\"\"}")));
    ExecutorService ticks = Executors.newFixedThreadPool(2);
    try (Database db = TestStores.create(kind);
        ClusterNode a = ClusterNode.of("node-a", db, "http://127.0.0.1:" + wecom.port(), config, clock);
        ClusterNode b = ClusterNode.of("node-b", db, "http://127.0.0.1:" + wecom.port(), config, clock)) {
      TransferFeature onA = a.feature(TransferFeature.class);
      TransferFeature onB = b.feature(TransferFeature.class);
      // transfer.yaml: unassigned_check_at 09:00, clinic time.
      Instant firstCheck = LocalDate.of(2026, 12, 1).atTime(9, 0).atZone(shanghai).toInstant();
      for (int day = 0; day < 5; day++) {
        clock.set(firstCheck.plus(Duration.ofDays(day)));
        ClusterNode.together(ticks, onA::scheduledUnassignedCheck, onB::scheduledUnassignedCheck);
        clock.advance(Duration.ofMinutes(30));
        assertThat(onA.scheduledUnassignedCheck() || onB.scheduledUnassignedCheck()).as("a late cron, same day")
            .isFalse();
      }
      assertThat(unassignedCalls(wecom)).isEqualTo(5);
      assertThat(notices(db)).isEqualTo(5);

      // Node a has died (its lock not released); node b's cron the next day still tells the admins.
      clock.set(firstCheck.plus(Duration.ofDays(5)));
      assertThat(onA.scheduledUnassignedCheck()).isTrue();
      clock.set(firstCheck.plus(Duration.ofDays(6)));
      assertThat(onB.scheduledUnassignedCheck()).isTrue();
      assertThat(notices(db)).isEqualTo(7);

      for (int round = 0; round < 10; round++) {
        ClusterNode.together(ticks, onA::scheduledFollow, onB::scheduledFollow);
        clock.advance(Duration.ofMinutes(5));
      }
    } finally {
      ticks.shutdownNow();
      wecom.stop();
    }
  }

  private static int unassignedCalls(WireMockServer wecom) {
    return wecom.countRequestsMatching(postRequestedFor(urlPathEqualTo(TransferScenario.UNASSIGNED)).build()).getCount();
  }

  private static long notices(Database db) {
    return db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM outbox WHERE purpose = 'transfer.unassigned'")
        .mapTo(Long.class).one());
  }
}
