package app.liuliang.web.console;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Slows token guessing at the sign-in form: after {@link #MAX_FAILURES} wrong tokens within a
 * minute, further attempts are refused until the oldest of them is a minute old. Global rather
 * than per address, because behind the clinic's proxy every browser may share one address.
 */
final class LoginThrottle {

  static final int MAX_FAILURES = 5;
  private static final long WINDOW_MILLIS = 60_000;

  private final Clock clock;
  private final Deque<Long> failures = new ArrayDeque<>();

  LoginThrottle(Clock clock) {
    this.clock = clock;
  }

  synchronized boolean allowed() {
    long now = clock.millis();
    while (!failures.isEmpty() && now - failures.peekFirst() >= WINDOW_MILLIS) {
      failures.pollFirst();
    }
    return failures.size() < MAX_FAILURES;
  }

  synchronized void failed() {
    failures.addLast(clock.millis());
  }
}
