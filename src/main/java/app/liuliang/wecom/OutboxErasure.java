package app.liuliang.wecom;

import app.liuliang.privacy.PatientData;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * The patient's sends: pending ones are cancelled (also one waiting for an unknown outcome to be asked
 * about: it is never sent again), and every row stays for the counts, without the patient. A row meant
 * for them alone keeps no body; a broadcast to many loses only their id (a pending one still goes to the
 * others, or is cancelled when no one is left). A send already on the wire cannot be called back.
 */
public final class OutboxErasure implements PatientData {

  static final String ERASED = "[erased]";
  private final ObjectMapper json;

  public OutboxErasure(ObjectMapper json) {
    this.json = json;
  }

  @Override
  public List<String> tables() {
    return List.of("outbox");
  }

  @Override
  public Map<String, Integer> erase(Handle h, String externalUserId, long now) {
    h.createUpdate("UPDATE outbox SET status = 'cancelled', last_error = 'patient data erased on request' "
            + "WHERE external_userid = :ext AND status = 'pending'")
        .bind("ext", externalUserId).execute();
    int own = h.createUpdate("UPDATE outbox SET external_userid = NULL, body = '{}', response = NULL, "
            + "last_error = CASE WHEN instr(last_error, :ext) > 0 THEN 'patient data erased on request' ELSE last_error END, "
            + "idem_key = replace(idem_key, :ext, 'erased-' || id) WHERE external_userid = :ext")
        .bind("ext", externalUserId).execute();
    List<Row> shared = h.createQuery("SELECT id, status, body FROM outbox WHERE instr(body, :ext) > 0 "
            + "OR instr(idem_key, :ext) > 0 OR instr(response, :ext) > 0 OR instr(last_error, :ext) > 0")
        .bind("ext", externalUserId).map((rs, ctx) -> new Row(rs.getLong(1), rs.getString(2), rs.getString(3))).list();
    for (Row row : shared) {
      Scrubbed scrubbed = scrub(row.body(), externalUserId);
      boolean cancel = "pending".equals(row.status()) && scrubbed.emptiedList();
      h.createUpdate("UPDATE outbox SET body = :body, response = CASE WHEN instr(response, :ext) > 0 THEN NULL ELSE response END, "
              + "last_error = CASE WHEN instr(last_error, :ext) > 0 THEN 'patient data erased on request' ELSE last_error END, "
              + "idem_key = replace(idem_key, :ext, 'erased-' || id), "
              + "status = CASE WHEN :cancel THEN 'cancelled' ELSE status END WHERE id = :id")
          .bind("body", scrubbed.body()).bind("ext", externalUserId).bind("cancel", cancel).bind("id", row.id()).execute();
    }
    return Map.of("outbox", own + shared.size());
  }

  private record Row(long id, String status, String body) {}

  private record Scrubbed(String body, boolean emptiedList) {}

  /** The body without the id: dropped from lists (a broadcast's recipients), replaced in any other text. */
  private Scrubbed scrub(String body, String externalUserId) {
    try {
      JsonNode tree = json.readTree(body);
      boolean[] emptied = {false};
      JsonNode clean = scrubNode(tree, externalUserId, emptied);
      return new Scrubbed(json.writeValueAsString(clean), emptied[0]);
    } catch (JsonProcessingException e) {
      return new Scrubbed(body.replace(externalUserId, ERASED), false);
    }
  }

  private JsonNode scrubNode(JsonNode node, String id, boolean[] emptied) {
    if (node.isTextual()) {
      return node.asText().contains(id) ? TextNode.valueOf(node.asText().replace(id, ERASED)) : node;
    }
    if (node instanceof ArrayNode array) {
      boolean had = false;
      for (Iterator<JsonNode> it = array.elements(); it.hasNext(); ) {
        JsonNode element = it.next();
        if (element.isTextual() && element.asText().equals(id)) {
          it.remove();
          had = true;
        }
      }
      if (had && array.isEmpty()) {
        emptied[0] = true;
      }
      for (int i = 0; i < array.size(); i++) {
        array.set(i, scrubNode(array.get(i), id, emptied));
      }
      return array;
    }
    if (node instanceof ObjectNode object) {
      for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        field.setValue(scrubNode(field.getValue(), id, emptied));
      }
      return object;
    }
    return node;
  }
}
