package app.liuliang.transfer;

import app.liuliang.privacy.PatientData;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * A patient's place in staff transfers is deleted on erasure. The jobs (staff ids and filters) and group
 * moves name no patient; WeCom still enforces its own 90-day limit on the patient.
 */
public final class TransferErasure implements PatientData {

  @Override
  public List<String> tables() {
    return List.of("transfer_customers");
  }

  @Override
  public Map<String, Integer> erase(Handle h, String externalUserId, long now) {
    return Map.of("transfer_customers", h.createUpdate("DELETE FROM transfer_customers WHERE external_userid = :ext")
        .bind("ext", externalUserId).execute());
  }
}
