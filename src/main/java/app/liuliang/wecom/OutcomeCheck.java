package app.liuliang.wecom;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * Asks WeCom whether an action took effect when our own attempt could not tell (a read timeout, a
 * crash in flight). The outbox consults it before it sends such an action again, so a patient never
 * gets a broadcast twice, and never none because we were afraid to ask.
 */
public interface OutcomeCheck {

  /** The API path of the actions this check can look up, e.g. {@code /cgi-bin/externalcontact/add_msg_template}. */
  String api();

  /**
   * WeCom's answer: the action's response as WeCom would have given it (it took effect), or empty
   * (it did not: sending it again is safe).
   *
   * @throws WeComApiException when WeCom cannot be asked right now; the outbox asks again later
   */
  Optional<JsonNode> lookUp(OutboxItem item) throws WeComApiException;
}
