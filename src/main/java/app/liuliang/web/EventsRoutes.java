package app.liuliang.web;

import app.liuliang.contact.PracticeEvents;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /api/events}: visits, orders and memberships from the practice system, with the admin
 * Bearer token. 200 with the contact's layer; 400 with a clear message for bad JSON, an unknown type
 * or an unknown contact (nothing written).
 */
public final class EventsRoutes implements Routes {

  private static final Set<String> KEYS = Set.of("external_userid", "phone", "type", "amount", "at", "subtype");

  private final PracticeEvents events;
  private final AdminAuth auth;
  private final ObjectMapper json = new ObjectMapper();

  public EventsRoutes(PracticeEvents events, AdminAuth auth) {
    this.events = events;
    this.auth = auth;
  }

  @Override
  public void addTo(RoutesConfig routes) {
    routes.post("/api/events", this::post);
  }

  private void post(Context ctx) throws Exception {
    auth.requireBearer(ctx);
    PracticeEvents.Event event;
    try {
      event = parse(ctx.body());
    } catch (IllegalArgumentException e) {
      reject(ctx, e.getMessage());
      return;
    }
    try {
      PracticeEvents.Outcome outcome = events.record(event);
      ctx.json(Map.of("external_userid", outcome.externalUserId(), "layer", outcome.layer(),
          "layer_changed", outcome.layerChanged()));
    } catch (PracticeEvents.Rejected e) {
      reject(ctx, e.getMessage());
    }
  }

  private PracticeEvents.Event parse(String body) {
    JsonNode node;
    try {
      node = json.readTree(body);
    } catch (Exception e) {
      throw new IllegalArgumentException("body is not valid JSON");
    }
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("body must be a JSON object like {\"external_userid\":\"wm...\",\"type\":\"visit\"}");
    }
    node.fieldNames().forEachRemaining(name -> {
      if (!KEYS.contains(name)) {
        throw new IllegalArgumentException("unknown field \"" + name + "\"; fields: " + String.join(", ", KEYS));
      }
    });
    BigDecimal amount = null;
    JsonNode a = node.get("amount");
    if (a != null && !a.isNull()) {
      if (a.isNumber()) {
        amount = a.decimalValue();
      } else {
        try {
          amount = new BigDecimal(a.asText());
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("amount must be a number; was \"" + a.asText() + "\"");
        }
      }
    }
    return new PracticeEvents.Event(text(node, "external_userid"), text(node, "phone"), text(node, "type"), amount,
        text(node, "at"), text(node, "subtype"));
  }

  private static String text(JsonNode node, String key) {
    JsonNode value = node.get(key);
    return value == null || value.isNull() ? null : value.asText();
  }

  private static void reject(Context ctx, String message) {
    ctx.status(HttpStatus.BAD_REQUEST).json(Map.of("error", message));
  }
}
