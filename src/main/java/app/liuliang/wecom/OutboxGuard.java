package app.liuliang.wecom;

import java.util.Optional;

/**
 * Asked just before each send: a reason to skip it, or empty. Checked at send time (not at enqueue)
 * so an opt-out received a minute ago stops a post planned last Monday.
 */
public interface OutboxGuard {

  Optional<String> vetoReason(OutboxItem item);
}
