package app.liuliang.channel;

import app.liuliang.wecom.WeComApiException;
import app.liuliang.wecom.WeComClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * WeCom's 联系我 API ({@code externalcontact/*_contact_way}), raw JSON through the WxJava client (its
 * {@code listContactWay} bean has no {@code next_cursor}, so paging needs the raw call anyway).
 */
final class ContactWays {

  static final String ADD = "/cgi-bin/externalcontact/add_contact_way";
  static final String GET = "/cgi-bin/externalcontact/get_contact_way";
  static final String UPDATE = "/cgi-bin/externalcontact/update_contact_way";
  static final String DELETE = "/cgi-bin/externalcontact/del_contact_way";
  static final String LIST = "/cgi-bin/externalcontact/list_contact_way";
  /**
   * WeCom's answer to a config_id it does not know (deleted meanwhile, or never made). [U]: the
   * documentation lists no errcode for it; 41044 is assumed. Any other refusal is kept as an error.
   */
  static final int UNKNOWN_CONFIG_ID = 41044;

  /** A created code: WeCom's id and the QR image's URL. */
  record Created(String configId, String qrUrl) {
  }

  /** One page of {@code list_contact_way}. */
  record Page(List<String> configIds, String nextCursor) {
  }

  private final WeComClient client;
  private final ObjectMapper json;

  ContactWays(WeComClient client, ObjectMapper json) {
    this.client = client;
    this.json = json;
  }

  Created add(ObjectNode spec) throws WeComApiException {
    JsonNode answer = client.post(ADD, spec);
    return new Created(answer.path("config_id").asText(), answer.path("qr_code").asText(""));
  }

  /** The code's settings ({@code contact_way}), empty when WeCom does not know the id. */
  Optional<JsonNode> get(String configId) throws WeComApiException {
    try {
      return Optional.of(client.post(GET, json.createObjectNode().put("config_id", configId)).path("contact_way"));
    } catch (WeComApiException e) {
      if (e.errcode() == UNKNOWN_CONFIG_ID) {
        return Optional.empty();
      }
      throw e;
    }
  }

  void update(String configId, ObjectNode spec) throws WeComApiException {
    ObjectNode body = spec.deepCopy();
    body.remove("type");
    body.remove("scene");
    body.put("config_id", configId);
    client.post(UPDATE, body);
  }

  /** Deletes the code; true when it existed. */
  boolean delete(String configId) throws WeComApiException {
    try {
      client.post(DELETE, json.createObjectNode().put("config_id", configId));
      return true;
    } catch (WeComApiException e) {
      if (e.errcode() == UNKNOWN_CONFIG_ID) {
        return false;
      }
      throw e;
    }
  }

  /**
   * The config_id of a code with this state made since {@code sinceMillis}, if WeCom has one: a create
   * of an earlier run may have reached WeCom without its answer reaching the store.
   */
  Optional<String> findByState(String state, long sinceMillis, long nowMillis) throws WeComApiException {
    long from = sinceMillis / 1000 - 3600;
    long to = nowMillis / 1000 + 3600;
    String cursor = "";
    do {
      Page page = list(from, to, cursor);
      for (String configId : page.configIds()) {
        Optional<JsonNode> way = get(configId);
        if (way.isPresent() && state.equals(way.get().path("state").asText())) {
          return Optional.of(configId);
        }
      }
      cursor = page.nextCursor();
    } while (!cursor.isEmpty());
    return Optional.empty();
  }

  /** Codes created from {@code startTime} (epoch seconds) on, a page at a time. */
  Page list(long startTime, long endTime, String cursor) throws WeComApiException {
    ObjectNode query = json.createObjectNode().put("start_time", startTime).put("end_time", endTime).put("limit", 1000);
    if (cursor != null && !cursor.isEmpty()) {
      query.put("cursor", cursor);
    }
    JsonNode answer = client.post(LIST, query);
    List<String> ids = new ArrayList<>();
    answer.path("contact_way").forEach(way -> ids.add(way.path("config_id").asText()));
    return new Page(ids, answer.path("next_cursor").asText(""));
  }
}
