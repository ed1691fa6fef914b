package app.liuliang.message;

import app.liuliang.privacy.PatientData;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/** Messages both ways and refused kf payloads that mention the patient: deleted (they are the patient's words). */
public final class MessageErasure implements PatientData {

  @Override
  public List<String> tables() {
    return List.of("messages", "kf_rejects");
  }

  @Override
  public Map<String, Integer> erase(Handle h, String externalUserId, long now) {
    Map<String, Integer> rows = new LinkedHashMap<>();
    rows.put("messages", h.createUpdate("DELETE FROM messages WHERE external_userid = :ext")
        .bind("ext", externalUserId).execute());
    // instr, not LIKE: an id's "_" would be a LIKE wildcard and match other patients' rows.
    rows.put("kf_rejects", h.createUpdate("DELETE FROM kf_rejects WHERE instr(payload, :ext) > 0")
        .bind("ext", externalUserId).execute());
    return rows;
  }
}
