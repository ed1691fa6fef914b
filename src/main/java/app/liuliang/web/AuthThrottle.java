package app.liuliang.web;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Slows token guessing, per client address: after {@link #MAX_FAILURES} wrong tokens within a
 * minute, that address is refused (without its token being compared) until the oldest failure is a
 * minute old. Other addresses are not affected, so a guesser cannot lock the clinic's admin out.
 * Bounded: the least recently failing addresses are forgotten past {@link #MAX_ADDRESSES}.
 */
final class AuthThrottle {

  static final int MAX_FAILURES = 5;
  static final int MAX_ADDRESSES = 10_000;
  private static final long WINDOW_MILLIS = 60_000;

  private final Clock clock;
  private final Map<String, Deque<Long>> failures = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Deque<Long>> eldest) {
      return size() > MAX_ADDRESSES;
    }
  };

  AuthThrottle(Clock clock) {
    this.clock = clock;
  }

  synchronized boolean allowed(String address) {
    Deque<Long> recent = failures.get(address);
    if (recent == null) {
      return true;
    }
    long now = clock.millis();
    while (!recent.isEmpty() && now - recent.peekFirst() >= WINDOW_MILLIS) {
      recent.pollFirst();
    }
    if (recent.isEmpty()) {
      failures.remove(address);
      return true;
    }
    return recent.size() < MAX_FAILURES;
  }

  synchronized void failed(String address) {
    failures.computeIfAbsent(address, a -> new ArrayDeque<>()).addLast(clock.millis());
  }
}
