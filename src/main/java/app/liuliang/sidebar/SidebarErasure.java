package app.liuliang.sidebar;

import app.liuliang.privacy.PatientData;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * The access record outlives an erasure (who looked, when, what they did stays accountable), but no
 * longer says at whom: the patient's id becomes the row's marker and the detail goes.
 */
public final class SidebarErasure implements PatientData {

  @Override
  public List<String> tables() {
    return List.of("sidebar_audit");
  }

  @Override
  public Map<String, Integer> erase(Handle h, String externalUserId, long now) {
    int rows = h.createUpdate("UPDATE sidebar_audit SET external_userid = 'erased-' || id, detail = NULL "
            + "WHERE external_userid = :ext")
        .bind("ext", externalUserId).execute();
    return Map.of("sidebar_audit", rows);
  }
}
