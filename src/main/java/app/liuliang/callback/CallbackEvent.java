package app.liuliang.callback;

import java.time.Instant;
import java.util.Map;

/**
 * One decrypted callback, as stored in the inbox: the fields of WeCom's XML by element name
 * ({@code Event}, {@code ChangeType}, {@code ExternalUserID}, ...). Features read it, never WxJava's
 * message classes.
 */
public record CallbackEvent(long inboxId, String eventKey, Instant receivedAt, Map<String, String> fields) {

  public CallbackEvent {
    fields = Map.copyOf(fields);
  }

  public String field(String name) {
    return fields.get(name);
  }

  public String field(String name, String fallback) {
    return fields.getOrDefault(name, fallback);
  }

  /**
   * When WeCom says the event happened ({@code CreateTime}), bounded by when we received it: a
   * retry of an old event keeps its own time, and a WeCom clock ahead of ours never moves it later.
   * Without a readable CreateTime, the time of receipt.
   */
  public Instant occurredAt() {
    try {
      Instant created = Instant.ofEpochSecond(Long.parseLong(field("CreateTime", "").trim()));
      return created.isBefore(receivedAt) ? created : receivedAt;
    } catch (NumberFormatException e) {
      return receivedAt;
    }
  }

  public String msgType() {
    return field("MsgType", "");
  }

  public String event() {
    return field("Event", "");
  }

  public String changeType() {
    return field("ChangeType", "");
  }

  /**
   * {@code msgType/event/changeType} with empty parts left out, e.g.
   * {@code event/change_external_contact/add_external_contact} or {@code text}.
   */
  public String kind() {
    return kindOf(fields);
  }

  static String kindOf(Map<String, String> fields) {
    StringBuilder kind = new StringBuilder(fields.getOrDefault("MsgType", "unknown"));
    String event = fields.get("Event");
    if (event != null && !event.isEmpty()) {
      kind.append('/').append(event);
      String change = fields.get("ChangeType");
      if (change != null && !change.isEmpty()) {
        kind.append('/').append(change);
      }
    }
    return kind.toString();
  }

  /**
   * Events about one person are handled in order: the external contact if there is one, else the
   * customer group ({@code change_external_chat}), else the sender, else the kf account.
   */
  public String orderingKey() {
    return orderingKey(eventKey, fields);
  }

  /** The ordering key of an event with these fields, as the inbox stores it at intake. */
  static String orderingKey(String eventKey, Map<String, String> fields) {
    for (String name : new String[] {"ExternalUserID", "ChatId", "FromUserName", "OpenKfId"}) {
      String value = fields.get(name);
      if (value != null && !value.isEmpty() && !"sys".equals(value)) {
        return value;
      }
    }
    return eventKey;
  }
}
