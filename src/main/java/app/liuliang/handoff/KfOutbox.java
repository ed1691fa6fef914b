package app.liuliang.handoff;

import app.liuliang.wecom.Outbox;
import app.liuliang.wecom.OutboxRequest;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import org.jdbi.v3.core.Handle;

/**
 * The kf actions, through the outbox: texts to a patient ({@code kf/send_msg}, with a msgid derived
 * from the idempotency key so WeCom itself drops a repeat, hence resend-safe), the enter-session
 * greeting, and moving a session to a servicer. Texts sent are stored in {@code messages}.
 */
public final class KfOutbox {

  public static final String SEND_MSG = "/cgi-bin/kf/send_msg";
  public static final String SEND_ON_EVENT = "/cgi-bin/kf/send_msg_on_event";
  public static final String TRANS = "/cgi-bin/kf/service_state/trans";
  /** kf/send_msg works within 48 h of the patient's message; we give up well before. */
  private static final Duration REPLY_DEADLINE = Duration.ofHours(1);

  private final Outbox outbox;
  private final ObjectMapper json;
  private final Clock clock;

  public KfOutbox(Outbox outbox, ObjectMapper json, Clock clock) {
    this.outbox = outbox;
    this.json = json;
    this.clock = clock;
  }

  /** Queues a text to the patient; false when this key was queued before (nothing new is sent). */
  public boolean sendText(Handle h, String idemKey, String purpose, String externalUserId, String openKfId, String text,
      String intent) {
    String msgid = msgid(idemKey);
    ObjectNode body = json.createObjectNode().put("touser", externalUserId).put("open_kfid", openKfId)
        .put("msgid", msgid).put("msgtype", "text");
    body.putObject("text").put("content", text);
    Instant now = clock.instant();
    boolean queued = outbox.enqueue(h, OutboxRequest.toPatient(idemKey, purpose, SEND_MSG, body, externalUserId, true,
        now, now.plus(REPLY_DEADLINE)));
    h.createUpdate("INSERT INTO messages (msgid, external_userid, open_kfid, direction, msgtype, content, intent, at, "
            + "handled_at) VALUES (:msgid, :ext, :kf, 'out', 'text', :content, :intent, :now, :now) "
            + "ON CONFLICT (msgid) DO NOTHING")
        .bind("msgid", msgid).bind("ext", externalUserId).bind("kf", openKfId).bind("content", text)
        .bind("intent", intent).bind("now", now.toEpochMilli()).execute();
    return queued;
  }

  /** Queues an image (a media id from media/upload) to the patient; returns the kf msgid. */
  public String sendImage(Handle h, String idemKey, String purpose, String externalUserId, String openKfId,
      String mediaId, String intent) {
    String msgid = msgid(idemKey);
    ObjectNode body = json.createObjectNode().put("touser", externalUserId).put("open_kfid", openKfId)
        .put("msgid", msgid).put("msgtype", "image");
    body.putObject("image").put("media_id", mediaId);
    Instant now = clock.instant();
    outbox.enqueue(h, OutboxRequest.toPatient(idemKey, purpose, SEND_MSG, body, externalUserId, true, now,
        now.plus(REPLY_DEADLINE)));
    h.createUpdate("INSERT INTO messages (msgid, external_userid, open_kfid, direction, msgtype, content, intent, at, "
            + "handled_at) VALUES (:msgid, :ext, :kf, 'out', 'image', '', :intent, :now, :now) "
            + "ON CONFLICT (msgid) DO NOTHING")
        .bind("msgid", msgid).bind("ext", externalUserId).bind("kf", openKfId).bind("intent", intent)
        .bind("now", now.toEpochMilli()).execute();
    return msgid;
  }

  /** The enter_session greeting: the welcome code lives 20 s and works once. */
  public void greet(Handle h, String idemKey, String externalUserId, String welcomeCode, String text) {
    ObjectNode body = json.createObjectNode().put("code", welcomeCode).put("msgid", msgid(idemKey)).put("msgtype", "text");
    body.putObject("text").put("content", text);
    Instant now = clock.instant();
    outbox.enqueue(h, OutboxRequest.toPatient(idemKey, "message.greeting", SEND_ON_EVENT, body, externalUserId, true,
        now, now.plusSeconds(20)));
  }

  /** Moves the patient's kf session to a person (service_state 3, 人工接待). */
  public void transfer(Handle h, String idemKey, String externalUserId, String openKfId, String servicerUserId) {
    ObjectNode body = json.createObjectNode().put("open_kfid", openKfId).put("external_userid", externalUserId)
        .put("service_state", 3).put("servicer_userid", servicerUserId);
    Instant now = clock.instant();
    outbox.enqueue(h, OutboxRequest.internal(idemKey, "handoff.transfer", TRANS, body, now, now.plus(REPLY_DEADLINE)));
  }

  /** Ends the patient's kf session (service_state 4): the next message starts a new one the bot serves. */
  public void endSession(Handle h, String idemKey, String externalUserId, String openKfId) {
    ObjectNode body = json.createObjectNode().put("open_kfid", openKfId).put("external_userid", externalUserId)
        .put("service_state", 4);
    Instant now = clock.instant();
    outbox.enqueue(h, OutboxRequest.internal(idemKey, "handoff.end_session", TRANS, body, now, now.plus(REPLY_DEADLINE)));
  }

  /** kf msgids are ≤ 32 chars of [0-9a-zA-Z_-]: a hash of the idempotency key. */
  static String msgid(String idemKey) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(idemKey.getBytes(StandardCharsets.UTF_8));
      return "ll" + HexFormat.of().formatHex(digest).substring(0, 30);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
