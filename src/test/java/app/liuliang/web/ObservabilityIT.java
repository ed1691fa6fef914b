package app.liuliang.web;

import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.testing.TestServer;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import java.net.http.HttpResponse;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/** /ready's checks, and the store gauges and token counter on /metrics. */
class ObservabilityIT {

  @Test
  void readyReportsEveryCheckAndFetchesATokenOnlyOnce() throws Exception {
    try (TestServer server = TestServer.builder().env("LIULIANG_NODE_ID", "front-desk-1").start()) {
      HttpResponse<String> first = server.get("/ready");
      HttpResponse<String> second = server.get("/ready");

      assertThat(first.statusCode()).isEqualTo(200);
      // The token may already have been fetched at start (tag sync); either way WeCom sees one gettoken.
      assertThat(first.body()).contains("\"ready\":true").contains("\"store\":").contains("\"scheduler\":")
          .contains("\"token\":{\"ok\":true")
          .contains("\"node\":\"front-desk-1\"").contains("\"store\":\"sqlite\"")
          .contains("\"quartz\":{\"store\":\"ram\",\"holdsWork\":true");
      assertThat(second.body()).contains("stored token valid");
      assertThat(server.wecom().countRequestsMatching(getRequestedFor(urlPathEqualTo("/cgi-bin/gettoken")).build()
          ).getCount()).isEqualTo(1);
      assertThat(server.get("/metrics").body()).contains("liuliang_wecom_token_refreshes_total 1.0");
    }
  }

  @Test
  void readyIs503WhenNoTokenCanBeObtained() throws Exception {
    WireMockServer wecom = TestServer.startWeCom();
    wecom.stubFor(WireMock.get(urlPathEqualTo("/cgi-bin/gettoken")).atPriority(0)
        .willReturn(TestServer.errcode(40001, "invalid credential")));
    try (TestServer server = TestServer.builder().wecom(wecom).start()) {
      HttpResponse<String> reply = server.get("/ready");

      assertThat(reply.statusCode()).isEqualTo(503);
      assertThat(reply.body()).contains("\"ready\":false").contains("gettoken failed").contains("\"store\":{");
      assertThat(reply.body()).doesNotContain("test-secret");
    } finally {
      wecom.stop();
    }
  }

  @Test
  void readyNeedsNoTokenInSandboxMode() throws Exception {
    try (TestServer server = TestServer.builder().env("WECOM_CORP_ID", "").start()) {
      HttpResponse<String> reply = server.get("/ready");

      assertThat(reply.statusCode()).isEqualTo(200);
      assertThat(reply.body()).contains("sandbox");
    }
  }

  @Test
  void metricsCarryInboxLagOutboxDepthFailuresSopItemsAndOpenHandoffs() throws Exception {
    try (TestServer server = TestServer.builder().without("sop", "campaigns").start()) {
      Jdbi jdbi = server.wiring().foundation().database().jdbi();
      long now = server.clock().millis();
      jdbi.useHandle(h -> {
        h.execute("INSERT INTO outbox (idem_key, purpose, api, body, patient_facing, resend_safe, created_at, not_before, "
            + "deadline, status, attempts, next_attempt_at, errcode) VALUES "
            + "('a', 'welcome', '/x', '{}', 1, 1, ?, ?, ?, 'failed', 3, ?, 41051), "
            + "('b', 'welcome', '/x', '{}', 1, 1, ?, ?, ?, 'failed', 3, ?, 41051), "
            + "('c', 'welcome', '/x', '{}', 1, 1, ?, ?, ?, 'expired', 9, ?, NULL)",
            now, now, now, now, now, now, now, now, now, now, now, now);
        h.execute("INSERT INTO sop_items (week, item_id, kind, due_at, text_preview, status, updated_at) VALUES "
            + "('2026-W48', 'a', 'moment', ?, 't', 'scheduled', ?), ('2026-W48', 'b', 'moment', ?, 't', 'missed', ?)",
            now, now, now, now);
        h.execute("INSERT INTO handoffs (external_userid, state, reason, opened_at) VALUES ('wmA', 'open', 'r', ?), "
            + "('wmB', 'closed', 'r', ?)", now, now);
      });

      String metrics = server.get("/metrics").body();

      assertThat(metrics).contains("liuliang_inbox_lag_seconds 0.0")
          .contains("liuliang_outbox_depth 0.0")
          .contains("liuliang_outbox_failures{errcode=\"41051\"} 2.0")
          .contains("liuliang_outbox_failures{errcode=\"none\"} 1.0")
          .contains("liuliang_sop_items{status=\"scheduled\"} 1.0")
          .contains("liuliang_sop_items{status=\"missed\"} 1.0")
          .contains("liuliang_handoffs_open 1.0");
    }
  }
}
