package app.liuliang.callback;

import app.liuliang.privacy.PatientData;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * Callbacks about the patient (their payload names the external_userid) are deleted, pending ones too:
 * handling an old add_external_contact afterwards would bring the patient back.
 */
public final class InboxErasure implements PatientData {

  @Override
  public List<String> tables() {
    return List.of("inbox");
  }

  @Override
  public Map<String, Integer> erase(Handle h, String externalUserId, long now) {
    return Map.of("inbox", h.createUpdate("DELETE FROM inbox WHERE instr(payload, :ext) > 0")
        .bind("ext", externalUserId).execute());
  }
}
