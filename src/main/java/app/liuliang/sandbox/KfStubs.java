package app.liuliang.sandbox;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Sandbox stubs for WeChat Customer Service (kf) and hand-off cards: {@code kf/send_msg},
 * {@code kf/send_msg_on_event}, {@code kf/service_state/trans}, {@code message/update_template_card}
 * answer as WeCom does, {@code kf/sync_msg} returns the messages queued with {@link #queue}
 * (what {@code liuliang simulate kf-message} does before it sends the callback), and
 * {@code kf/customer/batchget} gives each asked customer the nickname queued with their message, or
 * {@value #DEFAULT_NICKNAME}. Also builds {@code msg_list} entries for tests.
 */
public final class KfStubs {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** What WeChat shows for a user whose nickname we were not told. */
  public static final String DEFAULT_NICKNAME = "微信用户";
  /** Ids that can sit in a template's string literal as they are (real ones look like wmXXXX). */
  private static final Pattern PLAIN_ID = Pattern.compile("[A-Za-z0-9_-]+");
  private static final int MAX_NICKNAMES = 200;

  private final SandboxWeCom sandbox;
  private final List<ObjectNode> queued = new ArrayList<>();
  private final Map<String, String> nicknames = new LinkedHashMap<>();

  private KfStubs(SandboxWeCom sandbox) {
    this.sandbox = sandbox;
  }

  /** Installs the stubs on the sandbox; keep the result to queue patient messages. */
  public static KfStubs install(SandboxWeCom sandbox) {
    sandbox.stub(post(urlPathEqualTo("/cgi-bin/kf/send_msg")).atPriority(5)
        .willReturn(ok("{\"errcode\":0,\"errmsg\":\"ok\",\"msgid\":\"{{#if (jsonPath request.body '$.msgid')}}"
            + "{{jsonPath request.body '$.msgid'}}{{else}}{{randomValue length=24 type='ALPHANUMERIC'}}{{/if}}\"}")));
    sandbox.stub(post(urlPathEqualTo("/cgi-bin/kf/send_msg_on_event")).atPriority(5)
        .willReturn(ok("{\"errcode\":0,\"errmsg\":\"ok\",\"msgid\":\"{{randomValue length=24 type='ALPHANUMERIC'}}\"}")));
    sandbox.stub(post(urlPathEqualTo("/cgi-bin/kf/service_state/trans")).atPriority(5)
        .willReturn(ok("{\"errcode\":0,\"errmsg\":\"ok\",\"msg_code\":\"{{randomValue length=16 type='ALPHANUMERIC'}}\"}")));
    sandbox.stub(post(urlPathEqualTo("/cgi-bin/message/update_template_card")).atPriority(5)
        .willReturn(ok("{\"errcode\":0,\"errmsg\":\"ok\",\"invaliduser\":[]}")));
    KfStubs stubs = new KfStubs(sandbox);
    stubs.restubSync();
    stubs.restubCustomers();
    return stubs;
  }

  /**
   * A patient text that the next {@code kf/sync_msg} returns; returns its msgid. A non-blank
   * {@code nickname} is what {@code kf/customer/batchget} answers for this customer from now on.
   */
  public synchronized String queue(String openKfId, String externalUserId, String text, String nickname) {
    String msgid = "sim" + UUID.randomUUID().toString().replace("-", "");
    queued.add(textMessage(msgid, externalUserId, openKfId, text, System.currentTimeMillis() / 1000));
    if (queued.size() > 200) {
      queued.remove(0);
    }
    restubSync();
    if (nickname != null && !nickname.isBlank() && PLAIN_ID.matcher(externalUserId).matches()) {
      nicknames.remove(externalUserId);
      nicknames.put(externalUserId, nickname.strip());
      if (nicknames.size() > MAX_NICKNAMES) {
        nicknames.remove(nicknames.keySet().iterator().next());
      }
      restubCustomers();
    }
    return msgid;
  }

  /**
   * sync_msg answers every queued message on each call: the bot's msgid check makes repeats
   * harmless, as it must with the real API after a lost cursor.
   */
  private synchronized void restubSync() {
    ObjectNode body = JSON.createObjectNode().put("errcode", 0).put("errmsg", "ok")
        .put("next_cursor", queued.isEmpty() ? "" : "sandbox-" + queued.size()).put("has_more", 0);
    ArrayNode list = body.putArray("msg_list");
    queued.forEach(list::add);
    sandbox.stub(post(urlPathEqualTo("/cgi-bin/kf/sync_msg")).atPriority(4)
        .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json; charset=utf-8")
            .withBody(body.toString())));
  }

  /**
   * batchget answers every asked id (as for customers who wrote to us): a response template, since
   * one call asks for up to 100 ids, choosing each one's nickname from what {@link #queue} was told.
   */
  private synchronized void restubCustomers() {
    StringBuilder nickname = new StringBuilder();
    nicknames.forEach((id, name) -> nickname.append(nickname.isEmpty() ? "{{#if " : "{{else if ")
        .append("(eq id '").append(id).append("')}}").append(jsonString(name)));
    nickname.append(nicknames.isEmpty() ? jsonString(DEFAULT_NICKNAME) : "{{else}}" + jsonString(DEFAULT_NICKNAME) + "{{/if}}");
    sandbox.stub(post(urlPathEqualTo("/cgi-bin/kf/customer/batchget")).atPriority(5)
        .willReturn(ok("{\"errcode\":0,\"errmsg\":\"ok\",\"customer_list\":["
            + "{{#each (jsonPath request.body '$.external_userid_list') as |id|}}{{#if @index}},{{/if}}"
            + "{\"external_userid\":\"{{id}}\",\"nickname\":" + nickname
            + ",\"avatar\":\"http://wx.qlogo.cn/mmhead/sandbox/0\",\"gender\":0,\"unionid\":\"oSandbox{{id}}\"}"
            + "{{/each}}],\"invalid_external_userid\":[]}")));
  }

  /** A JSON string literal that is also inert in a template: its braces become unicode escapes. */
  private static String jsonString(String text) {
    return new TextNode(text).toString().replace("{", "\\u007b").replace("}", "\\u007d");
  }

  /** A customer's text as {@code kf/sync_msg} lists it (origin 3). */
  public static ObjectNode textMessage(String msgid, String externalUserId, String openKfId, String text, long sendTime) {
    ObjectNode m = JSON.createObjectNode().put("msgid", msgid).put("open_kfid", openKfId)
        .put("external_userid", externalUserId).put("send_time", sendTime).put("origin", 3).put("msgtype", "text");
    m.putObject("text").put("content", text);
    return m;
  }

  /** An {@code enter_session} event (origin 4) with a welcome code, as {@code kf/sync_msg} lists it. */
  public static ObjectNode enterSession(String msgid, String externalUserId, String openKfId, String welcomeCode,
      long sendTime) {
    ObjectNode m = JSON.createObjectNode().put("msgid", msgid).put("send_time", sendTime).put("origin", 4)
        .put("msgtype", "event");
    m.putObject("event").put("event_type", "enter_session").put("open_kfid", openKfId)
        .put("external_userid", externalUserId).put("scene", "123").put("welcome_code", welcomeCode);
    return m;
  }

  /** A {@code kf/sync_msg} answer with these messages. */
  public static String syncAnswer(String nextCursor, boolean hasMore, List<ObjectNode> messages) {
    ObjectNode body = JSON.createObjectNode().put("errcode", 0).put("errmsg", "ok").put("next_cursor", nextCursor)
        .put("has_more", hasMore ? 1 : 0);
    ArrayNode list = body.putArray("msg_list");
    messages.forEach(list::add);
    return body.toString();
  }

  private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder ok(String template) {
    return aResponse().withStatus(200).withHeader("Content-Type", "application/json; charset=utf-8").withBody(template)
        .withTransformers("response-template");
  }
}
