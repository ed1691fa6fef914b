package app.liuliang.callback;

import java.util.List;

/**
 * Hands an event to every handler that accepts it. An event no handler accepts is "skipped": it
 * stays in the inbox for the record (WeCom adds event kinds over time).
 */
public final class EventDispatcher {

  /** What became of one event. */
  public enum Outcome { HANDLED, SKIPPED }

  private final List<CallbackHandler> handlers;

  public EventDispatcher(List<CallbackHandler> handlers) {
    this.handlers = List.copyOf(handlers);
  }

  public Outcome dispatch(CallbackEvent event) throws Exception {
    boolean handled = false;
    for (CallbackHandler handler : handlers) {
      if (handler.accepts(event)) {
        handler.handle(event);
        handled = true;
      }
    }
    return handled ? Outcome.HANDLED : Outcome.SKIPPED;
  }
}
