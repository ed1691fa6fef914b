package app.liuliang.sop;

import app.liuliang.privacy.PatientData;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * The patient's SOP deliveries (1:1 posts, journeys, recalls) stay as anonymous rows, so the week's
 * summary still counts them; a journey or recall has no one left to continue with.
 */
public final class SopErasure implements PatientData {

  @Override
  public List<String> tables() {
    return List.of("sop_deliveries");
  }

  @Override
  public Map<String, Integer> erase(Handle h, String externalUserId, long now) {
    int rows = h.createUpdate("UPDATE sop_deliveries SET target = 'erased-' || rowid, "
            + "outbox_key = replace(outbox_key, :ext, 'erased-' || rowid), "
            + "status = CASE WHEN status IN ('queued', 'pending', 'scheduled') THEN 'cancelled' ELSE status END "
            + "WHERE target = :ext OR instr(outbox_key, :ext) > 0")
        .bind("ext", externalUserId).execute();
    return Map.of("sop_deliveries", rows);
  }
}
