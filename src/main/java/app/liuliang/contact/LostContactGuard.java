package app.liuliang.contact;

import app.liuliang.wecom.OutboxGuard;
import app.liuliang.wecom.OutboxItem;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Vetoes patient-facing sends to contacts who deleted us (lost) or whom staff removed. Opt-outs are
 * the messages feature's guard, not this one.
 */
final class LostContactGuard implements OutboxGuard {

  private final Jdbi jdbi;

  LostContactGuard(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  @Override
  public Optional<String> vetoReason(OutboxItem item) {
    if (!item.patientFacing() || item.externalUserId() == null) {
      return Optional.empty();
    }
    Optional<String> status = jdbi.withHandle(h -> h.createQuery("SELECT status FROM contacts WHERE external_userid = :ext")
        .bind("ext", item.externalUserId()).mapTo(String.class).findOne());
    return status.filter(s -> s.equals("lost") || s.equals("removed")).map(s -> "contact " + s);
  }
}
