package app.liuliang.wecom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Was this {@code add_msg_template} broadcast (1:1 or group) created? Lists the corp's broadcasts
 * since the action was queued ({@code get_groupmsg_list_v2}), keeps those of the same sender with the
 * same text, and for a 1:1 broadcast confirms through {@code get_groupmsg_send_result} that it was
 * addressed to this action's patients: two patients of one name may get the same text the same minute.
 */
final class BroadcastLookup implements OutcomeCheck {

  static final String ADD_MSG_TEMPLATE = "/cgi-bin/externalcontact/add_msg_template";
  private static final String LIST = "/cgi-bin/externalcontact/get_groupmsg_list_v2";
  private static final String SEND_RESULT = "/cgi-bin/externalcontact/get_groupmsg_send_result";
  /** Clocks differ: WeCom's create_time may be a little before our queue time. */
  private static final long SLACK_SECONDS = 120;

  private final WeComClient client;
  private final ObjectMapper json;
  private final Clock clock;

  BroadcastLookup(WeComClient client, ObjectMapper json, Clock clock) {
    this.client = client;
    this.json = json;
    this.clock = clock;
  }

  @Override
  public String api() {
    return ADD_MSG_TEMPLATE;
  }

  @Override
  public Optional<JsonNode> lookUp(OutboxItem item) throws WeComApiException {
    JsonNode body = item.body();
    String chatType = body.path("chat_type").asText("single");
    String sender = body.path("sender").asText("");
    String text = body.path("text").path("content").asText("");
    long from = item.createdAt() / 1000 - SLACK_SECONDS;
    long to = clock.millis() / 1000 + SLACK_SECONDS;
    String cursor = "";
    do {
      ObjectNode query = json.createObjectNode().put("chat_type", chatType).put("start_time", from)
          .put("end_time", to).put("filter_type", 0).put("limit", 100);
      if (!sender.isEmpty()) {
        query.put("creator", sender);
      }
      if (!cursor.isEmpty()) {
        query.put("cursor", cursor);
      }
      JsonNode page = client.post(LIST, query);
      for (JsonNode message : page.path("group_msg_list")) {
        boolean sameSender = sender.isEmpty() || sender.equals(message.path("creator").asText());
        boolean sameText = text.equals(message.path("text").path("content").asText(""));
        String msgId = message.path("msgid").asText("");
        if (sameSender && sameText && !msgId.isEmpty() && addressedToOurPatients(chatType, msgId, sender, body)) {
          return Optional.of(json.createObjectNode().put("errcode", 0).put("msgid", msgId)
              .put("found_by", "get_groupmsg_list_v2"));
        }
      }
      cursor = page.path("next_cursor").asText("");
    } while (!cursor.isEmpty());
    return Optional.empty();
  }

  private boolean addressedToOurPatients(String chatType, String msgId, String sender, JsonNode body)
      throws WeComApiException {
    if (!"single".equals(chatType) || !body.path("external_userid").isArray() || body.path("external_userid").isEmpty()) {
      return true;
    }
    Set<String> ours = new HashSet<>();
    body.path("external_userid").forEach(id -> ours.add(id.asText()));
    String cursor = "";
    do {
      ObjectNode query = json.createObjectNode().put("msgid", msgId).put("userid", sender).put("limit", 1000);
      if (!cursor.isEmpty()) {
        query.put("cursor", cursor);
      }
      JsonNode page = client.post(SEND_RESULT, query);
      for (JsonNode sent : page.path("send_list")) {
        if (ours.contains(sent.path("external_userid").asText())) {
          return true;
        }
      }
      cursor = page.path("next_cursor").asText("");
    } while (!cursor.isEmpty());
    return false;
  }
}
