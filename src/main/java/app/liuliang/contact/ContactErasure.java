package app.liuliang.contact;

import app.liuliang.privacy.PatientData;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * The contact tables' share of an erasure: profile, follows, tags, activities, layer history, welcome
 * records and referral links on either side (a patient someone referred keeps their profile, not the link).
 */
public final class ContactErasure implements PatientData {

  /** What the anonymous audit row keeps for the reports' counts. */
  public record Counted(String channel, String layer) {}

  @Override
  public List<String> tables() {
    return List.of("contacts", "contact_follows", "contact_tags", "contact_activities", "layer_changes",
        "referrals", "welcomes", "referral_rewards", "opt_out_changes");
  }

  /** The patient's channel and layer, before they are erased. */
  public Optional<Counted> counted(Handle h, String externalUserId) {
    return h.createQuery("SELECT channel, layer FROM contacts WHERE external_userid = :ext").bind("ext", externalUserId)
        .map((rs, ctx) -> new Counted(rs.getString(1), rs.getString(2))).findOne();
  }

  @Override
  public Map<String, Integer> erase(Handle h, String externalUserId, long now) {
    Map<String, Integer> rows = new LinkedHashMap<>();
    rows.put("contact_tags", delete(h, "DELETE FROM contact_tags WHERE external_userid = :ext", externalUserId));
    rows.put("contact_follows", delete(h, "DELETE FROM contact_follows WHERE external_userid = :ext", externalUserId));
    rows.put("contact_activities", delete(h, "DELETE FROM contact_activities WHERE external_userid = :ext", externalUserId));
    rows.put("layer_changes", delete(h, "DELETE FROM layer_changes WHERE external_userid = :ext", externalUserId));
    rows.put("referrals", delete(h, "DELETE FROM referrals WHERE referee_external_userid = :ext "
        + "OR referrer_external_userid = :ext", externalUserId));
    rows.put("welcomes", delete(h, "DELETE FROM welcomes WHERE external_userid = :ext", externalUserId));
    rows.put("opt_out_changes", delete(h, "DELETE FROM opt_out_changes WHERE external_userid = :ext", externalUserId));
    rows.put("referral_rewards", delete(h, "DELETE FROM referral_rewards WHERE referrer_external_userid = :ext",
        externalUserId));
    int unlinked = delete(h, "UPDATE contacts SET referrer_external_userid = NULL WHERE referrer_external_userid = :ext",
        externalUserId);
    rows.put("contacts", unlinked + delete(h, "DELETE FROM contacts WHERE external_userid = :ext", externalUserId));
    return rows;
  }

  private static int delete(Handle h, String sql, String externalUserId) {
    return h.createUpdate(sql).bind("ext", externalUserId).execute();
  }
}
