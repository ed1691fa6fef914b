package app.liuliang.channel;

import app.liuliang.privacy.PatientData;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * The channel codes' share of an erasure: the patient's personal referral code. The row loses the
 * patient (an anonymous id, no QR image) and is marked for deletion; the next scan deletes the code
 * in WeCom (no WeCom call inside the erasure's transaction), so no orphan code is left behind.
 */
public final class ChannelErasure implements PatientData {

  @Override
  public List<String> tables() {
    return List.of("referral_codes");
  }

  @Override
  public Map<String, Integer> erase(Handle h, String externalUserId, long now) {
    int rows = h.createUpdate("UPDATE referral_codes SET external_userid = :anon, status = 'deleting', qr_png = NULL, "
            + "qr_url = NULL, error = NULL, lease_until = 0, updated_at = :now WHERE external_userid = :ext")
        .bind("anon", "erased-" + UUID.randomUUID()).bind("now", now).bind("ext", externalUserId).execute();
    return Map.of("referral_codes", rows);
  }
}
