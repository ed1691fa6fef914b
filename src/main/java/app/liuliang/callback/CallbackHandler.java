package app.liuliang.callback;

/**
 * Acts on inbox events of the kinds it accepts. Handlers run after the acknowledgement, may run
 * again after a crash or a failure, and so must be idempotent (the outbox's idempotency keys make
 * that easy: derive them from {@link CallbackEvent#eventKey()}).
 */
public interface CallbackHandler {

  boolean accepts(CallbackEvent event);

  /**
   * Does the work. An exception means "try again later" (with backoff, then dead-letter);
   * throw {@link PermanentFailure} for input that no retry can fix.
   */
  void handle(CallbackEvent event) throws Exception;

  /** An event that can never be handled (malformed payload): dead-lettered at once, kept for a look. */
  final class PermanentFailure extends RuntimeException {
    public PermanentFailure(String message) {
      super(message);
    }
  }
}
