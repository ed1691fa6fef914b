package app.liuliang.sop;

import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * A patient moved to another staff member (继承) after a 1:1 send was queued for them: the outbox re-addressed
 * it, and the broadcast record follows, so its confirmation is looked for, and its reminder sent, to the
 * member who will actually send it.
 */
public final class SopSenders {

  private final Jdbi jdbi;

  public SopSenders(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** Re-addresses the queued broadcasts of these outbox keys from {@code from} to {@code to}; how many. */
  public int readdress(List<String> outboxKeys, String from, String to) {
    if (outboxKeys.isEmpty()) {
      return 0;
    }
    return jdbi.withHandle(h -> h.createUpdate("UPDATE sop_broadcasts SET sender = :to WHERE outbox_key IN (<keys>) "
            + "AND sender = :from AND status = 'queued'")
        .bind("to", to).bind("from", from).bindList("keys", outboxKeys).execute());
  }
}
