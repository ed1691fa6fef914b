package app.liuliang.message;

import app.liuliang.wecom.WeComApiException;
import app.liuliang.wecom.WeComClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Names kf customers we only know by external_userid. A patient who writes to kf without having
 * added a staff member never comes through {@code externalcontact/get}, so the doctor's card and
 * the console would show no name: for the senders of a sync page whose contact has no name yet,
 * {@code kf/customer/batchget} gives their WeChat nickname, stored as the contact's name.
 *
 * <p>Best effort: a failed lookup is logged (ids only) and the messages are handled without a
 * name; the customer's next message asks again. A named contact is never asked about.
 */
final class KfCustomerNames {

  static final String BATCHGET = "/cgi-bin/kf/customer/batchget";
  /** WeCom takes at most 100 external_userids per call. */
  static final int MAX_IDS_PER_CALL = 100;

  private static final Logger log = LoggerFactory.getLogger(KfCustomerNames.class);

  private final WeComClient wecom;
  private final ContactProfile contacts;
  private final ObjectMapper json;
  private final MeterRegistry meters;

  KfCustomerNames(WeComClient wecom, ContactProfile contacts, ObjectMapper json, MeterRegistry meters) {
    this.wecom = wecom;
    this.contacts = contacts;
    this.json = json;
    this.meters = meters;
  }

  /** Looks up and stores the nickname of each of these customers who has no name yet. */
  void nameUnnamed(Collection<String> externalUserIds) {
    List<String> unnamed = contacts.unnamed(externalUserIds);
    for (int from = 0; from < unnamed.size(); from += MAX_IDS_PER_CALL) {
      List<String> ids = unnamed.subList(from, Math.min(unnamed.size(), from + MAX_IDS_PER_CALL));
      Map<String, String> nicknames = nicknames(ids);
      contacts.nameIfUnnamed(nicknames, "kf");
      meters.counter("liuliang.message.kf_names", "outcome", "named").increment(nicknames.size());
    }
  }

  /** The non-empty nicknames WeCom gives for these ids; none when the call fails. */
  private Map<String, String> nicknames(List<String> ids) {
    ObjectNode body = json.createObjectNode();
    ArrayNode list = body.putArray("external_userid_list");
    ids.forEach(list::add);
    body.put("need_enter_session_context", 0);
    JsonNode answer;
    try {
      answer = wecom.post(BATCHGET, body);
    } catch (WeComApiException e) {
      meters.counter("liuliang.message.kf_names", "outcome", "failed").increment(ids.size());
      // Ids and WeCom's error only: nicknames and patient texts stay out of logs.
      log.warn("kf customers {} stay unnamed for now (asked again on their next message): {}", ids, e.getMessage());
      return Map.of();
    }
    Map<String, String> nicknames = new HashMap<>();
    for (JsonNode customer : answer.path("customer_list")) {
      String ext = customer.path("external_userid").asText("");
      String nickname = customer.path("nickname").asText("").strip();
      if (ids.contains(ext) && !nickname.isEmpty()) {
        nicknames.put(ext, nickname);
      }
    }
    if (nicknames.size() < ids.size()) {
      meters.counter("liuliang.message.kf_names", "outcome", "unknown").increment(ids.size() - nicknames.size());
      log.info("kf/customer/batchget gave no nickname for {} of {} customers (invalid: {})",
          ids.size() - nicknames.size(), ids.size(), answer.path("invalid_external_userid"));
    }
    return nicknames;
  }
}
