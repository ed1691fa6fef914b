package app.liuliang.app;

import app.liuliang.callback.CallbackHandler;
import app.liuliang.wecom.OutboxGuard;
import app.liuliang.wecom.OutboxListener;
import java.util.List;

/**
 * A capability (new patients, messages, the weekly SOP...) as {@link Wiring} plugs it in: the
 * callback events it handles, the guards and listeners it adds to the outbox, and its life cycle.
 * HTTP routes live in {@code web/} and are wired there, so features stay free of Javalin.
 */
public interface Feature extends AutoCloseable {

  default List<CallbackHandler> callbackHandlers() {
    return List.of();
  }

  default List<OutboxGuard> outboxGuards() {
    return List.of();
  }

  default List<OutboxListener> outboxListeners() {
    return List.of();
  }

  /** Called once the inbox and outbox run (sync tags, schedule jobs...). */
  default void start() throws Exception {
  }

  /**
   * For {@code /ready}: false when a scheduler this feature runs (Quartz...) has stopped. Features
   * without one keep the default.
   */
  default boolean schedulerRunning() {
    return true;
  }

  @Override
  default void close() throws Exception {
  }
}
