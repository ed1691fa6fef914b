package app.liuliang.transfer;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import app.liuliang.testing.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/** Given-steps for transfer tests: patients in the store, WeCom's transfer answers in WireMock. */
final class TransferScenario {

  static final String TRANSFER = "/cgi-bin/externalcontact/transfer_customer";
  static final String RESIGNED_TRANSFER = "/cgi-bin/externalcontact/resigned/transfer_customer";
  static final String RESULT = "/cgi-bin/externalcontact/transfer_result";
  static final String UNASSIGNED = "/cgi-bin/externalcontact/get_unassigned_list";

  private final TestServer server;

  TransferScenario(TestServer server) {
    this.server = server;
  }

  Jdbi jdbi() {
    return server.wiring().foundation().database().jdbi();
  }

  TransferFeature feature() {
    return server.wiring().features().stream().filter(TransferFeature.class::isInstance)
        .map(TransferFeature.class::cast).findFirst().orElseThrow();
  }

  /** A patient of {@code layer}, followed by {@code follower}. */
  void patient(String ext, String name, String layer, String follower) {
    long at = server.clock().millis();
    jdbi().useHandle(h -> {
      h.execute("INSERT INTO contacts (external_userid, name, channel, layer, referral_code, first_userid, added_at, "
          + "updated_at) VALUES (?, ?, 'unknown', ?, ?, ?, ?, ?)", ext, name, layer,
          "R-" + ext, follower, at, at);
      h.execute("INSERT INTO contact_follows (external_userid, userid, added_at) VALUES (?, ?, ?)", ext, follower, at);
    });
  }

  /** Every customer of transfer_customer (both kinds) starts. */
  void transfersStart() {
    String body = "{\"errcode\":0,\"errmsg\":\"ok\",\"customer\":[{{#each (jsonPath request.body '$.external_userid') as |id|}}"
        + "{{#if @index}},{{/if}}{\"external_userid\":\"{{id}}\",\"errcode\":0}{{/each}}]}";
    stubTransfers(okJson(body).withTransformers("response-template"));
  }

  /** transfer_customer answers these per-customer errcodes (customers not named are ignored). */
  void transfersAnswer(Map<String, Integer> errcodes) {
    StringBuilder list = new StringBuilder();
    errcodes.forEach((ext, code) -> list.append(list.length() == 0 ? "" : ",").append("{\"external_userid\":\"")
        .append(ext).append("\",\"errcode\":").append(code).append('}'));
    stubTransfers(okJson("{\"errcode\":0,\"errmsg\":\"ok\",\"customer\":[" + list + "]}"));
  }

  private void stubTransfers(com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder answer) {
    for (String path : List.of(TRANSFER, RESIGNED_TRANSFER)) {
      wecom().stubFor(post(urlPathEqualTo(path)).atPriority(2).willReturn(answer));
    }
  }

  /** transfer_result answers these statuses (one page). */
  void results(Map<String, Integer> statuses) {
    StringBuilder list = new StringBuilder();
    statuses.forEach((ext, status) -> list.append(list.length() == 0 ? "" : ",").append("{\"external_userid\":\"")
        .append(ext).append("\",\"status\":").append(status).append(",\"takeover_time\":")
        .append(status == 1 ? 1_700_000_000 : 0).append('}'));
    wecom().stubFor(post(urlPathEqualTo(RESULT)).atPriority(2)
        .willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\",\"customer\":[" + list + "],\"next_cursor\":\"\"}")));
  }

  void unassigned(String handover, List<String> externalUserIds) {
    StringBuilder list = new StringBuilder();
    externalUserIds.forEach(ext -> list.append(list.length() == 0 ? "" : ",").append("{\"handover_userid\":\"")
        .append(handover).append("\",\"external_userid\":\"").append(ext).append("\",\"dimission_time\":1700000000}"));
    wecom().stubFor(post(urlPathEqualTo(UNASSIGNED)).atPriority(2)
        .willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\",\"info\":[" + list + "],\"is_last\":true,\"next_cursor\":\"\"}")));
  }

  List<JsonNode> sent(String path) {
    return server.sentTo(path);
  }

  String status(String ext) {
    return (String) server.rows("SELECT status FROM transfer_customers WHERE external_userid = ? "
        + "ORDER BY updated_at DESC LIMIT 1", ext).get(0).get("status");
  }

  WireMockServer wecom() {
    return server.wecom();
  }

  /** A transfer_fail event, as WeCom sends it to the takeover member's corp. */
  static String transferFail(String takeover, String ext, String reason, long createTime) {
    return app.liuliang.sandbox.CallbackSimulator.externalContactChange(TestServer.CORP_ID, "transfer_fail", takeover,
        ext, createTime).replace("</xml>", "<FailReason><![CDATA[" + reason + "]]></FailReason></xml>");
  }
}
