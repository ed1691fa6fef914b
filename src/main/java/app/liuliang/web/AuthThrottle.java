package app.liuliang.web;

import java.time.Clock;
import org.jdbi.v3.core.Jdbi;

/**
 * Slows token guessing, per client address: after {@link #MAX_FAILURES} wrong tokens within a minute, that
 * address is refused (without its token being compared) until the oldest failure is a minute old. Other
 * addresses are not affected, so a guesser cannot lock the clinic's admin out. The failures live in the
 * store ({@code auth_failures}), so every node behind a load balancer counts the same ones; each new failure
 * deletes those past the window, which keeps the table as small as one minute of guessing.
 */
final class AuthThrottle {

  static final int MAX_FAILURES = 5;
  private static final long WINDOW_MILLIS = 60_000;

  private final Jdbi jdbi;
  private final Clock clock;

  AuthThrottle(Jdbi jdbi, Clock clock) {
    this.jdbi = jdbi;
    this.clock = clock;
  }

  boolean allowed(String address) {
    long since = clock.millis() - WINDOW_MILLIS;
    return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM auth_failures WHERE address = :a AND at > :since")
        .bind("a", address).bind("since", since).mapTo(Long.class).one()) < MAX_FAILURES;
  }

  void failed(String address) {
    long now = clock.millis();
    jdbi.useTransaction(h -> {
      h.createUpdate("DELETE FROM auth_failures WHERE at <= :old").bind("old", now - WINDOW_MILLIS).execute();
      h.createUpdate("INSERT INTO auth_failures (address, at) VALUES (:a, :now)").bind("a", address).bind("now", now)
          .execute();
    });
  }
}
