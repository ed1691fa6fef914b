package app.liuliang.wecom;

import com.fasterxml.jackson.databind.JsonNode;
import org.jdbi.v3.core.Handle;

/**
 * Told what became of actions of the purposes it accepts (a Moments task's jobid to poll, a
 * welcome that failed and needs its fallback).
 *
 * <p>{@link #inTransaction} runs inside the transaction that stores the row's outcome: state that
 * must never disagree with the outbox (a welcome's record, its fallback) is written there, so a
 * crash cannot leave one without the other. {@link #onSent} and {@link #onGaveUp} run after the
 * commit; an exception there is logged and does not change the outcome.
 */
public interface OutboxListener {

  boolean accepts(String purpose);

  /**
   * The row's outcome is being stored: {@code status} is sent, failed, expired, skipped or
   * uncertain; {@code response} is WeCom's answer when sent, else null. Keep it to a few statements:
   * it runs on the outbox's commit thread. An exception rolls back this outcome alone.
   */
  default void inTransaction(Handle handle, OutboxItem item, String status, JsonNode response) {
  }

  default void onSent(OutboxItem item, JsonNode response) throws Exception {
  }

  /** The action ended without success: status failed, expired, skipped, cancelled or uncertain. */
  default void onGaveUp(OutboxItem item) throws Exception {
  }
}
