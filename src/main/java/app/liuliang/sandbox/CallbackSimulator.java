package app.liuliang.sandbox;

import app.liuliang.callback.CallbackCrypto;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.UUID;

/**
 * Builds callbacks exactly as WeCom does (encrypted, signed, enveloped) and posts them. Used by
 * {@code scripts/simulate.sh}, the tests and the benchmark.
 */
public final class CallbackSimulator {

  /** A ready-to-send callback: the query string and the XML body. */
  public record SignedCallback(String query, String body) {
  }

  private final CallbackCrypto crypto;
  private final Clock clock;

  public CallbackSimulator(CallbackCrypto crypto, Clock clock) {
    this.crypto = crypto;
    this.clock = clock;
  }

  public SignedCallback sign(String plainXml) {
    return sign(plainXml, String.valueOf(clock.millis() / 1000));
  }

  public SignedCallback sign(String plainXml, String timestamp) {
    String nonce = UUID.randomUUID().toString().substring(0, 10);
    String encrypted = crypto.seal(plainXml);
    String signature = crypto.sign(timestamp, nonce, encrypted);
    String body = "<xml><ToUserName><![CDATA[" + crypto.corpId() + "]]></ToUserName><Encrypt><![CDATA["
        + encrypted + "]]></Encrypt><AgentID><![CDATA[1000002]]></AgentID></xml>";
    return new SignedCallback("msg_signature=" + signature + "&timestamp=" + timestamp + "&nonce=" + nonce, body);
  }

  /** Posts to {@code baseUrl + /wecom/callback}; returns the HTTP response. */
  public HttpResponse<String> post(HttpClient http, String baseUrl, SignedCallback callback) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/wecom/callback?" + callback.query()))
        .header("Content-Type", "text/xml; charset=utf-8")
        .POST(HttpRequest.BodyPublishers.ofString(callback.body(), StandardCharsets.UTF_8))
        .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** A {@code change_external_contact/add_external_contact} event as WeCom sends it. */
  public static String addExternalContact(String corpId, String userId, String externalUserId, String state,
      String welcomeCode, long createTime) {
    return "<xml><ToUserName><![CDATA[" + corpId + "]]></ToUserName>"
        + "<FromUserName><![CDATA[sys]]></FromUserName><CreateTime>" + createTime + "</CreateTime>"
        + "<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[change_external_contact]]></Event>"
        + "<ChangeType><![CDATA[add_external_contact]]></ChangeType><UserID><![CDATA[" + userId + "]]></UserID>"
        + "<ExternalUserID><![CDATA[" + externalUserId + "]]></ExternalUserID>"
        + (state == null ? "" : "<State><![CDATA[" + state + "]]></State>")
        + (welcomeCode == null ? "" : "<WelcomeCode><![CDATA[" + welcomeCode + "]]></WelcomeCode>")
        + "</xml>";
  }

  /** Any {@code change_external_contact} change (del_follow_user, edit_external_contact...). */
  public static String externalContactChange(String corpId, String changeType, String userId,
      String externalUserId, long createTime) {
    return "<xml><ToUserName><![CDATA[" + corpId + "]]></ToUserName>"
        + "<FromUserName><![CDATA[sys]]></FromUserName><CreateTime>" + createTime + "</CreateTime>"
        + "<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[change_external_contact]]></Event>"
        + "<ChangeType><![CDATA[" + changeType + "]]></ChangeType><UserID><![CDATA[" + userId + "]]></UserID>"
        + "<ExternalUserID><![CDATA[" + externalUserId + "]]></ExternalUserID></xml>";
  }

  /** {@code kf_msg_or_event}: WeChat Customer Service has new messages; only a token and the kf account. */
  public static String kfMsgOrEvent(String corpId, String token, String openKfId, long createTime) {
    return "<xml><ToUserName><![CDATA[" + corpId + "]]></ToUserName><CreateTime>" + createTime + "</CreateTime>"
        + "<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[kf_msg_or_event]]></Event>"
        + "<Token><![CDATA[" + token + "]]></Token><OpenKfId><![CDATA[" + openKfId + "]]></OpenKfId></xml>";
  }

  /** {@code template_card_event}: a staff member clicked a button on an app card. */
  public static String templateCardEvent(String corpId, String userId, String eventKey, String taskId,
      String responseCode, long createTime) {
    return "<xml><ToUserName><![CDATA[" + corpId + "]]></ToUserName><FromUserName><![CDATA[" + userId + "]]></FromUserName>"
        + "<CreateTime>" + createTime + "</CreateTime><MsgType><![CDATA[event]]></MsgType>"
        + "<Event><![CDATA[template_card_event]]></Event><EventKey><![CDATA[" + eventKey + "]]></EventKey>"
        + "<TaskId><![CDATA[" + taskId + "]]></TaskId><CardType><![CDATA[button_interaction]]></CardType>"
        + "<ResponseCode><![CDATA[" + responseCode + "]]></ResponseCode><AgentID>1000002</AgentID></xml>";
  }

  /** A staff member texting the app (a member message, not kf). */
  public static String staffText(String corpId, String userId, String content, long msgId, long createTime) {
    return "<xml><ToUserName><![CDATA[" + corpId + "]]></ToUserName><FromUserName><![CDATA[" + userId + "]]></FromUserName>"
        + "<CreateTime>" + createTime + "</CreateTime><MsgType><![CDATA[text]]></MsgType>"
        + "<Content><![CDATA[" + content + "]]></Content><MsgId>" + msgId + "</MsgId><AgentID>1000002</AgentID></xml>";
  }

  /**
   * A {@code change_external_chat} event: {@code changeType} create, update or dismiss; for an update,
   * {@code updateDetail} add_member, del_member, change_owner, change_name or change_notice, with the
   * members who changed and the member versions before and after (null leaves them out).
   */
  public static String externalChatChange(String corpId, String chatId, String changeType, String updateDetail,
      java.util.List<String> members, String lastMemVer, String curMemVer, long createTime) {
    StringBuilder xml = new StringBuilder("<xml><ToUserName><![CDATA[" + corpId + "]]></ToUserName>"
        + "<FromUserName><![CDATA[sys]]></FromUserName><CreateTime>" + createTime + "</CreateTime>"
        + "<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[change_external_chat]]></Event>"
        + "<ChatId><![CDATA[" + chatId + "]]></ChatId><ChangeType><![CDATA[" + changeType + "]]></ChangeType>");
    if (updateDetail != null) {
      xml.append("<UpdateDetail><![CDATA[").append(updateDetail).append("]]></UpdateDetail>");
      if ("add_member".equals(updateDetail)) {
        xml.append("<JoinScene>3</JoinScene>");
      } else if ("del_member".equals(updateDetail)) {
        xml.append("<QuitScene>0</QuitScene>");
      }
    }
    if (members != null && !members.isEmpty()) {
      xml.append("<MemChangeCnt>").append(members.size()).append("</MemChangeCnt><MemChangeList>");
      members.forEach(m -> xml.append("<Item><![CDATA[").append(m).append("]]></Item>"));
      xml.append("</MemChangeList>");
    }
    if (lastMemVer != null) {
      xml.append("<LastMemVer><![CDATA[").append(lastMemVer).append("]]></LastMemVer>");
    }
    if (curMemVer != null) {
      xml.append("<CurMemVer><![CDATA[").append(curMemVer).append("]]></CurMemVer>");
    }
    return xml.append("</xml>").toString();
  }
}
