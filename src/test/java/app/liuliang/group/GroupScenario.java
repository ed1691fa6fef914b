package app.liuliang.group;

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
import java.util.List;
import java.util.Map;

/** Given/when helpers for the customer-group scenarios: WeCom's group endpoints, group events, the store. */
final class GroupScenario {

  static final String GET = "/cgi-bin/externalcontact/groupchat/get";
  static final String LIST = "/cgi-bin/externalcontact/groupchat/list";
  static final String MARK_TAG = "/cgi-bin/externalcontact/mark_tag";
  static final String MESSAGE_SEND = "/cgi-bin/message/send";
  static final String VIP_CHAT = "wrOgQhDgAAimplantVIP01";
  static final String PERKS_CHAT = "wrOgQhDgAAmemberPerks01";
  private static final ObjectMapper JSON = new ObjectMapper();
  static final java.time.Duration SETTLED = java.time.Duration.ofSeconds(3);

  /** A member of a stubbed group: staff (type 1) or a patient (type 2). */
  record Member(String id, int type, String name, long joinTime, String state) {
    static Member staff(String id) {
      return new Member(id, 1, "", 1_700_000_000L, "");
    }

    static Member patient(String id, String name, long joinTime) {
      return new Member(id, 2, name, joinTime, "grp-implant-vip");
    }
  }

  private final TestServer server;

  GroupScenario(TestServer server) {
    this.server = server;
    server.wecom().stubFor(post(urlPathEqualTo("/cgi-bin/externalcontact/get_corp_tag_list")).atPriority(5)
        .willReturn(json("{\"errcode\":0,\"errmsg\":\"ok\",\"tag_group\":[]}")));
  }

  private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(String body) {
    return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body);
  }

  /** A known patient: externalcontact/get answers them, they add the assistant, and the store has them. */
  void patient(String ext, String name) throws Exception {
    ObjectNode body = JSON.createObjectNode().put("errcode", 0).put("errmsg", "ok");
    body.putObject("external_contact").put("external_userid", ext).put("name", name).put("type", 1).put("gender", 1);
    body.putArray("follow_user").addObject().put("userid", "assistant-lily").put("remark", "")
        .put("createtime", server.clock().millis() / 1000).put("add_way", 1).put("state", "meituan").putArray("tags");
    server.wecom().stubFor(get(urlPathEqualTo("/cgi-bin/externalcontact/get"))
        .withQueryParam("external_userid", equalTo(ext)).atPriority(1).willReturn(json(body.toString())));
    server.postCallback(CallbackSimulator.addExternalContact(TestServer.CORP_ID, "assistant-lily", ext, "meituan",
        "CODE-" + ext, server.clock().millis() / 1000));
    TestServer.awaitUntil(() -> value("SELECT layer FROM contacts WHERE external_userid = ?", ext) != null);
    awaitQuiet();
  }

  /** groupchat/get answers this group with these members at this version. */
  void group(String chatId, String name, String version, Member... members) {
    ObjectNode body = JSON.createObjectNode().put("errcode", 0).put("errmsg", "ok");
    ObjectNode chat = body.putObject("group_chat").put("chat_id", chatId).put("name", name).put("owner", "assistant-lily")
        .put("create_time", 1_700_000_000L).put("notice", "").put("member_version", version);
    ArrayNode list = chat.putArray("member_list");
    for (Member m : members) {
      ObjectNode node = list.addObject().put("userid", m.id()).put("type", m.type()).put("join_time", m.joinTime())
          .put("join_scene", m.type() == 2 ? 3 : 1).put("group_nickname", "").put("name", m.name());
      if (!m.state().isEmpty()) {
        node.put("state", m.state());
      }
    }
    chat.putArray("admin_list");
    server.wecom().stubFor(post(urlPathEqualTo(GET)).withRequestBody(matchingJsonPath("$.chat_id", equalTo(chatId)))
        .atPriority(1).willReturn(json(body.toString())));
  }

  /** groupchat/list answers these chat ids, in one page. */
  void listed(String... chatIds) {
    ObjectNode body = JSON.createObjectNode().put("errcode", 0).put("errmsg", "ok").put("next_cursor", "");
    ArrayNode list = body.putArray("group_chat_list");
    for (String id : chatIds) {
      list.addObject().put("chat_id", id).put("status", 0);
    }
    server.wecom().stubFor(post(urlPathEqualTo(LIST)).atPriority(1).willReturn(json(body.toString())));
  }

  /**
   * WeCom sends the event; once the inbox handled it, the clock moves past the settle window
   * ({@code refresh_settle}, PT2S) so that the group's read is due.
   */
  void event(String chatId, String changeType, String detail, List<String> members, String last, String current)
      throws Exception {
    server.postCallback(CallbackSimulator.externalChatChange(TestServer.CORP_ID, chatId, changeType, detail, members,
        last, current, server.clock().millis() / 1000));
    awaitQuiet();
    server.clock().advance(SETTLED);
  }

  int calls(String path) {
    return server.wecom().countRequestsMatching(postRequestedFor(urlPathEqualTo(path)).build()).getCount();
  }

  int getCalls(String chatId) {
    return server.wecom().countRequestsMatching(postRequestedFor(urlPathEqualTo(GET))
        .withRequestBody(matchingJsonPath("$.chat_id", equalTo(chatId))).build()).getCount();
  }

  /** Bodies POSTed to {@code path}, oldest first. */
  List<JsonNode> sent(String path) {
    return server.sentTo(path);
  }

  Object value(String sql, Object... args) {
    return rows(sql, args).stream().findFirst().map(m -> m.values().iterator().next()).orElse(null);
  }

  List<Map<String, Object>> rows(String sql, Object... args) {
    return server.rows(sql, args);
  }

  long count(String sql, Object... args) {
    return ((Number) value(sql, args)).longValue();
  }

  /** Waits until the inbox and the outbox have nothing left to do now. */
  void awaitQuiet() {
    TestServer.awaitUntil(() -> count("SELECT COUNT(*) FROM inbox WHERE status = 'pending' AND next_attempt_at <= ?",
        server.clock().millis()) == 0
        && count("SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending') AND next_attempt_at <= ?",
        server.clock().millis()) == 0);
  }

  CustomerGroups feature() {
    return server.wiring().features().stream().filter(CustomerGroups.class::isInstance).map(CustomerGroups.class::cast)
        .findFirst().orElseThrow();
  }
}
