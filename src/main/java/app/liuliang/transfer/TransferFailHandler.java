package app.liuliang.transfer;

import app.liuliang.callback.CallbackEvent;
import app.liuliang.callback.CallbackHandler;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code change_external_contact} / {@code transfer_fail}: the customer refused the colleague
 * ({@code customer_refused}) or the colleague is full ({@code customer_limit_exceed}). The event names the
 * takeover member ({@code UserID}), so the waiting customer is found by patient and takeover; settled by
 * compare-and-set, so a repeat of the event, or a result that came first, changes nothing.
 */
final class TransferFailHandler implements CallbackHandler {

  private static final Logger log = LoggerFactory.getLogger(TransferFailHandler.class);
  private static final List<String> OPEN = List.of("submitting", "waiting");

  private final TransferRepository repository;
  private final Clock clock;

  TransferFailHandler(TransferRepository repository, Clock clock) {
    this.repository = repository;
    this.clock = clock;
  }

  @Override
  public boolean accepts(CallbackEvent event) {
    return "change_external_contact".equals(event.event()) && "transfer_fail".equals(event.changeType());
  }

  @Override
  public void handle(CallbackEvent event) {
    String ext = event.field("ExternalUserID", "");
    String takeover = event.field("UserID", "");
    if (ext.isEmpty() || takeover.isEmpty()) {
      throw new PermanentFailure("transfer_fail without ExternalUserID or UserID");
    }
    String status = "customer_limit_exceed".equals(event.field("FailReason", "")) ? "limit" : "refused";
    for (String job : repository.waitingJobsOf(ext, takeover)) {
      if (repository.moveCustomer(job, ext, OPEN, status, null, null, clock.millis())) {
        log.info("transfer {}: contact {} not taken over by {} ({})", job, ext, takeover, status);
      }
    }
  }
}
