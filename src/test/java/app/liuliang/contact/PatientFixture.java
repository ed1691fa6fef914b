package app.liuliang.contact;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import app.liuliang.sandbox.CallbackSimulator;
import app.liuliang.testing.TestServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Given/when helpers for the new-patient scenarios: WeCom stubs, callbacks, what was sent, the store. */
final class PatientFixture {

  static final String WELCOME = "/cgi-bin/externalcontact/send_welcome_msg";
  static final String MARK_TAG = "/cgi-bin/externalcontact/mark_tag";
  static final ObjectMapper JSON = new ObjectMapper();

  private final TestServer server;

  PatientFixture(TestServer server) {
    this.server = server;
  }

  /** WeCom's tag endpoints as a fresh corp answers them: no tags yet, add_corp_tag echoes ids "tag-<name>". */
  static void stubTags(WireMockServer wecom) {
    wecom.stubFor(post(urlPathEqualTo("/cgi-bin/externalcontact/get_corp_tag_list")).atPriority(5)
        .willReturn(json("{\"errcode\":0,\"errmsg\":\"ok\",\"tag_group\":[]}")));
    wecom.stubFor(post(urlPathEqualTo("/cgi-bin/externalcontact/add_corp_tag")).atPriority(5)
        .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
            .withBody("{\"errcode\":0,\"errmsg\":\"ok\",\"tag_group\":{\"group_id\":\"grp-{{jsonPath request.body '$.group_name'}}\","
                + "\"group_name\":\"{{jsonPath request.body '$.group_name'}}\",\"tag\":["
                + "{{#each (jsonPath request.body '$.tag') as |t|}}{{#if @index}},{{/if}}{\"id\":\"tag-{{t.name}}\",\"name\":\"{{t.name}}\"}{{/each}}]}}")
            .withTransformers("response-template")));
  }

  private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(String body) {
    return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body);
  }

  /** Makes externalcontact/get answer this patient following {@code userId} via {@code state}, with corp tags. */
  void contact(String ext, String name, String userId, String state, String... corpTags) {
    ObjectNode body = JSON.createObjectNode().put("errcode", 0).put("errmsg", "ok");
    body.putObject("external_contact").put("external_userid", ext).put("name", name).put("type", 1).put("gender", 1);
    ObjectNode follow = body.putArray("follow_user").addObject().put("userid", userId).put("remark", "")
        .put("createtime", server.clock().millis() / 1000).put("add_way", 1).put("state", state == null ? "" : state);
    ArrayNode tags = follow.putArray("tags");
    for (String tag : corpTags) {
      tags.addObject().put("group_name", "客户分层").put("tag_name", tag).put("type", 1).put("tag_id", "tag-" + tag);
    }
    server.wecom().stubFor(get(urlPathEqualTo("/cgi-bin/externalcontact/get"))
        .withQueryParam("external_userid", equalTo(ext)).atPriority(1).willReturn(json(body.toString())));
  }

  /** The patient adds {@code userId}: the callback WeCom sends, with a welcome code. */
  void adds(String ext, String userId, String state, String code) throws Exception {
    server.postCallback(CallbackSimulator.addExternalContact(TestServer.CORP_ID, userId, ext, state, code,
        server.clock().millis() / 1000));
  }

  void change(String changeType, String ext, String userId) throws Exception {
    server.postCallback(CallbackSimulator.externalContactChange(TestServer.CORP_ID, changeType, userId, ext,
        server.clock().millis() / 1000));
  }

  /** Waits for the welcome with this code and returns its body. */
  JsonNode awaitWelcome(String code) {
    TestServer.awaitUntil(() -> welcomeBody(code).isPresent());
    return welcomeBody(code).orElseThrow();
  }

  Optional<JsonNode> welcomeBody(String code) {
    return sent(WELCOME).stream().filter(b -> b.path("welcome_code").asText().equals(code)).findFirst();
  }

  int welcomesSent(String code) {
    return server.wecom().countRequestsMatching(postRequestedFor(urlPathEqualTo(WELCOME))
        .withRequestBody(matchingJsonPath("$.welcome_code", equalTo(code))).build()).getCount();
  }

  /** Bodies POSTed to {@code path}, oldest first. */
  List<JsonNode> sent(String path) {
    return server.sentTo(path);
  }

  /** mark_tag bodies for one patient, oldest first. */
  List<JsonNode> markTags(String ext) {
    return sent(MARK_TAG).stream().filter(b -> b.path("external_userid").asText().equals(ext)).toList();
  }

  static List<String> ids(JsonNode array) {
    return java.util.stream.StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
  }

  /** The first column of the first row, or null. */
  Object value(String sql, Object... args) {
    return server.wiring().foundation().database().jdbi().withHandle(h -> {
      var q = h.createQuery(sql);
      for (int i = 0; i < args.length; i++) {
        q.bind(i, args[i]);
      }
      return q.mapToMap().findFirst().map(m -> m.values().iterator().next()).orElse(null);
    });
  }

  List<Map<String, Object>> rows(String sql, Object... args) {
    return server.rows(sql, args);
  }

  String layer(String ext) {
    return (String) value("SELECT layer FROM contacts WHERE external_userid = ?", ext);
  }

  String referralCode(String ext) {
    return (String) value("SELECT referral_code FROM contacts WHERE external_userid = ?", ext);
  }

  /** Waits until the inbox and the outbox have nothing left to do now. */
  void awaitQuiet() {
    TestServer.awaitUntil(() -> ((Number) value("SELECT COUNT(*) FROM inbox WHERE status IN ('pending', 'working') "
        + "AND next_attempt_at <= ?", server.clock().millis())).intValue() == 0
        && ((Number) value("SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending') AND next_attempt_at <= ?",
        server.clock().millis())).intValue() == 0);
  }

  NewPatients feature() {
    return server.wiring().features().stream().filter(NewPatients.class::isInstance).map(NewPatients.class::cast)
        .findFirst().orElseThrow();
  }
}
