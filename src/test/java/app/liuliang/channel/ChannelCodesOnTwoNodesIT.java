package app.liuliang.channel;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.app.ClusterNode;
import app.liuliang.store.Database;
import app.liuliang.store.StoreKind;
import app.liuliang.store.TestStores;
import app.liuliang.testing.MutableClock;
import app.liuliang.testing.TestServer;
import app.liuliang.testing.WeComFake;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Two nodes on one store, each with its channel-code timers: every round one node reconciles and scans, each
 * declared 「联系我」 code is made in WeCom once, and when that node dies the other carries on.
 */
class ChannelCodesOnTwoNodesIT {

  @ParameterizedTest
  @MethodSource("app.liuliang.store.TestStores#kinds")
  void eachDeclaredCodeIsMadeOnceAndTheTimersRunOnOneNode(StoreKind kind) throws Exception {
    MutableClock clock = MutableClock.atSystemTime();
    Path config = TestServer.copyConfig(Path.of("config"));
    ExecutorService ticks = Executors.newFixedThreadPool(2);
    try (WeComFake wecom = new WeComFake(Duration.ZERO);
        Database db = TestStores.create(kind);
        ClusterNode a = ClusterNode.of("node-a", db, wecom.baseUrl(), config, clock);
        ClusterNode b = ClusterNode.of("node-b", db, wecom.baseUrl(), config, clock)) {
      ChannelCodesFeature onA = a.feature(ChannelCodesFeature.class);
      ChannelCodesFeature onB = b.feature(ChannelCodesFeature.class);
      int declared = onA.codes().size();
      assertThat(declared).isGreaterThan(1);

      int reconcilesOnA = 0;
      for (int round = 0; round < 6; round++) {
        // Both nodes' timers fire together (both start at the same moment, as a cluster deployed at once does).
        boolean ranOnA = ClusterNode.together(ticks, onA::scheduledReconcile, onB::scheduledReconcile);
        reconcilesOnA += ranOnA ? 1 : 0;
        for (int minute = 0; minute < 10; minute++) {
          ClusterNode.together(ticks, onA::scheduledScan, onB::scheduledScan);
          clock.advance(Duration.ofMinutes(1));
        }
      }
      assertThat(reconcilesOnA == 0 || reconcilesOnA == 6).as("one node keeps the reconcile").isTrue();
      assertThat(addContactWay(wecom)).as("add_contact_way, once per declared code").isEqualTo(declared);
      assertThat(wecom.contactWays()).hasSize(declared);
      assertThat(onB.codes()).allMatch(c -> "active".equals(c.status()) && c.hasQr());

      // The holder dies: within 1.5 intervals the other node reconciles, and makes nothing again.
      ChannelCodesFeature survivor = reconcilesOnA == 6 ? onB : onA;
      assertThat(survivor.scheduledReconcile()).isFalse();
      clock.advance(Duration.ofMinutes(ChannelCodesFeature.EVERY_MINUTES * 2));
      assertThat(survivor.scheduledReconcile()).isTrue();
      assertThat(addContactWay(wecom)).isEqualTo(declared);
    } finally {
      ticks.shutdownNow();
    }
  }

  private static int addContactWay(WeComFake wecom) {
    return wecom.wireMock().countRequestsMatching(postRequestedFor(urlPathEqualTo(WeComFake.ADD_WAY)).build()).getCount();
  }
}
