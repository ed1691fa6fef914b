package app.liuliang.wecom;

import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.app.Json;
import app.liuliang.app.WeComCredentials;
import app.liuliang.store.Database;
import app.liuliang.store.StoreKind;
import app.liuliang.testing.TestServer;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Two nodes (two clients on one store) that need a token at once fetch it from WeCom once, not once each. */
class TokenSharingIT {

  @ParameterizedTest
  @MethodSource("app.liuliang.store.TestStores#kinds")
  void nodesNeedingATokenAtOnceCallGettokenOnce(StoreKind kind) throws Exception {
    WireMockServer wecom = TestServer.startWeCom();
    // A slow gettoken, so every caller arrives while the first fetch is still on its way.
    wecom.stubFor(WireMock.get(urlPathEqualTo("/cgi-bin/gettoken")).atPriority(1).willReturn(
        okJson("{\"errcode\":0,\"errmsg\":\"ok\",\"access_token\":\"TOKEN-1\",\"expires_in\":7200}").withFixedDelay(400)));
    try (Database db = app.liuliang.store.TestStores.create(kind)) {
      WeComCredentials credentials = new WeComCredentials(TestServer.CORP_ID, "1000002", "secret", TestServer.TOKEN,
          TestServer.AES_KEY, "http://127.0.0.1:" + wecom.port(), false);
      List<WxJavaWeComClient> nodes = List.of(
          new WxJavaWeComClient(credentials, db.jdbi(), Clock.systemUTC(), Json.mapper(), new SimpleMeterRegistry()),
          new WxJavaWeComClient(credentials, db.jdbi(), Clock.systemUTC(), Json.mapper(), new SimpleMeterRegistry()));
      ExecutorService callers = Executors.newFixedThreadPool(8);
      try {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> calls = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
          WxJavaWeComClient node = nodes.get(i % 2);
          calls.add(callers.submit(() -> {
            go.await();
            return node.listCorpTags();
          }));
        }
        go.countDown();
        for (Future<?> call : calls) {
          call.get();
        }
      } finally {
        callers.shutdownNow();
      }
      assertThat(wecom.countRequestsMatching(getRequestedFor(urlPathEqualTo("/cgi-bin/gettoken")).build()).getCount())
          .isEqualTo(1);
    } finally {
      wecom.stop();
    }
  }
}
