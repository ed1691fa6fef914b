package app.liuliang.logging;

import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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

  /**
   * Every instance, so that one daemon thread can write the counts a storm left behind when it stopped
   * (no next occurrence would ever report them). Weak: a stopped server's logs are not kept alive.
   */
  private static final Set<ThrottledLog> ALL =
      Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));
  private static final ScheduledExecutorService FLUSHER =
      Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "log-summaries");
        t.setDaemon(true);
        return t;
      });

  static {
    FLUSHER.scheduleWithFixedDelay(ThrottledLog::flushAll, 10, 10, TimeUnit.SECONDS);
  }

  public ThrottledLog(Logger log, Clock clock, Duration interval) {
    this.log = log;
    this.clock = clock;
    this.intervalMillis = interval.toMillis();
    ALL.add(this);
  }

  private static void flushAll() {
    ThrottledLog[] logs;
    synchronized (ALL) {
      logs = ALL.toArray(new ThrottledLog[0]);
    }
    for (ThrottledLog l : logs) {
      try {
        l.flush();
      } catch (RuntimeException e) {
        // A summary line is not worth the flusher thread.
      }
    }
  }

  /**
   * Writes, for each kind whose interval is over with occurrences left out, one line saying how many:
   * the end of a storm is summarised too, not only its next occurrence.
   */
  public void flush() {
    long now = clock.millis();
    windows.forEach((kind, window) -> {
      long left = window.drain(now, intervalMillis);
      if (left > 0) {
        log.warn("{}: {} more like it in the last {} s", kind, left, intervalMillis / 1000);
      }
    });
  }

  /**
   * Logs {@code message} at WARN unless a line of this {@code kind} was written within the interval.
   * The message must already be safe to log: ids and codes, never patient text or secrets.
   */
  public void warn(String kind, String message) {
    log(kind, message, true);
  }

  /**
   * As {@link #warn}, at INFO: for lines that are routine one at a time (a retry, an expired send) but
   * that an outage multiplies by every patient.
   */
  public void info(String kind, String message) {
    log(kind, message, false);
  }

  private void log(String kind, String message, boolean warn) {
    long now = clock.millis();
    if (windows.size() > MAX_KINDS) {
      windows.clear();
    }
    Window window = windows.computeIfAbsent(kind, k -> new Window());
    long suppressed = window.admit(now, intervalMillis);
    if (suppressed < 0) {
      return;
    }
    String line = suppressed == 0 ? message
        : message + " (" + suppressed + " more like it in the last " + intervalMillis / 1000 + " s)";
    if (warn) {
      log.warn("{}", line);
    } else {
      log.info("{}", line);
    }
  }

  /** One kind's interval: when its last line was written and how many were left out since. */
  private static final class Window {
    private long lastLogged = Long.MIN_VALUE;
    private long suppressed;

    /** The occurrences left out, once the interval is over (then a new interval begins); else 0. */
    synchronized long drain(long now, long interval) {
      if (suppressed == 0 || now - lastLogged < interval) {
        return 0;
      }
      lastLogged = now;
      long left = suppressed;
      suppressed = 0;
      return left;
    }

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
