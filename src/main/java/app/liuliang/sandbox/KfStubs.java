package app.liuliang.sandbox;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Sandbox stubs for WeChat Customer Service (kf) and hand-off cards: {@code kf/send_msg},
 * {@code kf/send_msg_on_event}, {@code kf/service_state/trans}, {@code message/update_template_card}
 * answer as WeCom does, and {@code kf/sync_msg} returns the messages queued with {@link #queue}
 * (what {@code liuliang simulate kf-message} does before it sends the callback). Also builds
 * {@code msg_list} entries for tests.
 */
public final class KfStubs {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final SandboxWeCom sandbox;
  private final List<ObjectNode> queued = new ArrayList<>();

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
    return stubs;
  }

  /** A patient text that the next {@code kf/sync_msg} returns; returns its msgid. */
  public synchronized String queue(String openKfId, String externalUserId, String text) {
    String msgid = "sim" + UUID.randomUUID().toString().replace("-", "");
    queued.add(textMessage(msgid, externalUserId, openKfId, text, System.currentTimeMillis() / 1000));
    if (queued.size() > 200) {
      queued.remove(0);
    }
    restubSync();
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
