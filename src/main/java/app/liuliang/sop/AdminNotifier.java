package app.liuliang.sop;

import app.liuliang.wecom.Outbox;
import app.liuliang.wecom.OutboxRequest;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Operator alerts as WeCom app messages ({@code message/send}) to the admins (or named staff), through the outbox. */
public final class AdminNotifier {

  private static final Logger log = LoggerFactory.getLogger(AdminNotifier.class);
  static final String MESSAGE_SEND = "/cgi-bin/message/send";
  private static final int TEXT_BYTES = 2048;

  private final Outbox outbox;
  private final ObjectMapper json;
  private final Clock clock;
  private final List<String> admins;
  private final int agentId;

  public AdminNotifier(Outbox outbox, ObjectMapper json, Clock clock, List<String> admins, int agentId) {
    this.outbox = outbox;
    this.json = json;
    this.clock = clock;
    this.admins = admins;
    this.agentId = agentId;
  }

  /** Queues the message once per {@code idemKey}; false when there are no admins or it was sent before. */
  boolean tell(String idemKey, String text) {
    if (admins.isEmpty()) {
      log.warn("sop admin notice {} not sent: no admins in config/app.yaml", idemKey);
      return false;
    }
    return send("sop.admin", idemKey, admins, text);
  }

  /** Queues an operator alert of another feature ({@code purpose}, e.g. ops.alert) once per {@code idemKey}. */
  public boolean tell(String purpose, String idemKey, String text) {
    if (admins.isEmpty()) {
      log.warn("admin notice {} not sent: no admins in config/app.yaml", idemKey);
      return false;
    }
    return send(purpose, idemKey, admins, text);
  }

  /** Reminds these staff once per {@code idemKey} (e.g. to publish a Moment they have not confirmed). */
  boolean remind(String idemKey, List<String> staff, String text) {
    return send("sop.remind", idemKey, staff, text);
  }

  private boolean send(String purpose, String idemKey, List<String> staff, String text) {
    ObjectNode body = json.createObjectNode();
    body.put("touser", String.join("|", staff)).put("msgtype", "text").put("agentid", agentId);
    body.putObject("text").put("content", truncate(text));
    return outbox.enqueue(OutboxRequest.internal(idemKey, purpose, MESSAGE_SEND, body, clock.instant(),
        clock.instant().plus(Duration.ofDays(1))));
  }

  private static String truncate(String text) {
    byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    if (bytes.length <= TEXT_BYTES) {
      return text;
    }
    StringBuilder out = new StringBuilder();
    int used = 0;
    for (int cp : text.codePoints().toArray()) {
      int size = new String(Character.toChars(cp)).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
      if (used + size > TEXT_BYTES - 3) {
        break;
      }
      out.appendCodePoint(cp);
      used += size;
    }
    return out + "…";
  }
}
