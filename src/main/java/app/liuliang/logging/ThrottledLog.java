package app.liuliang.logging;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;

/**
 * Logs the first occurrence of each kind of repeated trouble (a refused request, the same errcode
 * from the same API) at once, then at most one line per kind and interval, saying how many were
 * left out. Callers count every occurrence in metrics themselves; this only bounds the log.
 */
public final class ThrottledLog {

  /** Above this many distinct kinds, old ones are forgotten: the map itself must stay bounded. */
  private static final int MAX_KINDS = 1_000;

  private final Logger log;
  private final Clock clock;
  private final long intervalMillis;
  private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

  public ThrottledLog(Logger log, Clock clock, Duration interval) {
    this.log = log;
    this.clock = clock;
    this.intervalMillis = interval.toMillis();
  }

  /**
   * Logs {@code message} at WARN unless a line of this {@code kind} was written within the interval.
   * The message must already be safe to log: ids and codes, never patient text or secrets.
   */
  public void warn(String kind, String message) {
    long now = clock.millis();
    if (windows.size() > MAX_KINDS) {
      windows.clear();
    }
    Window window = windows.computeIfAbsent(kind, k -> new Window());
    long suppressed = window.admit(now, intervalMillis);
    if (suppressed < 0) {
      return;
    }
    if (suppressed == 0) {
      log.warn("{}", message);
    } else {
      log.warn("{} ({} more like it in the last {} s)", message, suppressed, intervalMillis / 1000);
    }
  }

  /** One kind's interval: when its last line was written and how many were left out since. */
  private static final class Window {
    private long lastLogged = Long.MIN_VALUE;
    private long suppressed;

    /** -1 when this occurrence is left out; else how many were left out before it. */
    synchronized long admit(long now, long interval) {
      if (lastLogged != Long.MIN_VALUE && now - lastLogged < interval) {
        suppressed++;
        return -1;
      }
      lastLogged = now;
      long left = suppressed;
      suppressed = 0;
      return left;
    }
  }
}
