package app.liuliang.sop;

import app.liuliang.wecom.OutboxGuard;
import app.liuliang.wecom.OutboxItem;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Vetoes a 1:1 SOP send to a patient who opted out or was lost since it was queued (batched
 * broadcasts were filtered when they were built; single-contact ones are checked again here).
 */
final class SopGuard implements OutboxGuard {

  private final Jdbi jdbi;

  SopGuard(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  @Override
  public Optional<String> vetoReason(OutboxItem item) {
    if (!item.purpose().startsWith("sop.") || item.externalUserId() == null) {
      return Optional.empty();
    }
    return jdbi.withHandle(h -> h.createQuery("SELECT opted_out, status FROM contacts WHERE external_userid = :e")
        .bind("e", item.externalUserId())
        .map((rs, ctx) -> rs.getInt(1) != 0 ? "opted out" : "contact " + rs.getString(2))
        .findOne().filter(reason -> !reason.equals("contact active")));
  }
}
