package app.liuliang.message;

import app.liuliang.wecom.OutboxGuard;
import app.liuliang.wecom.OutboxItem;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Stops everything patient-facing to an opted-out contact except direct replies: answers to their
 * own messages ({@code message.*}), hand-off lines ({@code handoff.*}) and the welcome. SOP posts,
 * journeys, campaigns and broadcasts ({@code sop.*}, {@code journey.*}, {@code campaign.*},
 * {@code broadcast.*}, anything else) are skipped. Checked at send time, so a post planned last
 * week is stopped by an opt-out a minute ago.
 */
final class OptOutGuard implements OutboxGuard {

  private final Jdbi jdbi;

  OptOutGuard(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  static boolean isDirectReply(String purpose) {
    return purpose.startsWith("message.") || purpose.startsWith("handoff.") || purpose.equals("welcome");
  }

  @Override
  public Optional<String> vetoReason(OutboxItem item) {
    if (!item.patientFacing() || item.externalUserId() == null || isDirectReply(item.purpose())) {
      return Optional.empty();
    }
    boolean optedOut = jdbi.withHandle(h -> h.createQuery("SELECT opted_out FROM contacts WHERE external_userid = :ext")
        .bind("ext", item.externalUserId()).mapTo(Integer.class).findOne().orElse(0) == 1);
    return optedOut ? Optional.of("contact opted out") : Optional.empty();
  }
}
