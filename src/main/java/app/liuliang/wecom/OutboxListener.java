package app.liuliang.wecom;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Told what became of actions of the purposes it accepts (a Moments task's jobid to poll, a
 * welcome that failed and needs its fallback). Called after the row's state is stored; an exception
 * here is logged and does not change the outcome.
 */
public interface OutboxListener {

  boolean accepts(String purpose);

  void onSent(OutboxItem item, JsonNode response) throws Exception;

  /** The action ended without success: status failed, expired, skipped, cancelled or uncertain. */
  default void onGaveUp(OutboxItem item) throws Exception {
  }
}
