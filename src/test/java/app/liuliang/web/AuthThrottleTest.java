package app.liuliang.web;

import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.store.Database;
import app.liuliang.store.StoreKind;
import app.liuliang.store.TestStores;
import app.liuliang.testing.MutableClock;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Wrong tokens are counted in the store: a guesser spreading tries over two nodes meets one limit. */
class AuthThrottleTest {

  @ParameterizedTest
  @MethodSource("app.liuliang.store.TestStores#kinds")
  void failuresOnEitherNodeCountTowardsOneLimitPerAddress(StoreKind kind) {
    MutableClock clock = MutableClock.atSystemTime();
    try (Database db = TestStores.create(kind)) {
      AuthThrottle nodeA = new AuthThrottle(db.jdbi(), clock);
      AuthThrottle nodeB = new AuthThrottle(db.jdbi(), clock);
      for (int i = 0; i < AuthThrottle.MAX_FAILURES - 1; i++) {
        (i % 2 == 0 ? nodeA : nodeB).failed("203.0.113.9");
      }
      assertThat(nodeA.allowed("203.0.113.9")).isTrue();
      nodeB.failed("203.0.113.9");
      assertThat(nodeA.allowed("203.0.113.9")).isFalse();
      assertThat(nodeB.allowed("203.0.113.9")).isFalse();
      assertThat(nodeA.allowed("198.51.100.7")).as("another address is not locked out").isTrue();

      clock.advance(Duration.ofSeconds(61));
      assertThat(nodeB.allowed("203.0.113.9")).as("a minute later").isTrue();
      nodeA.failed("198.51.100.7");
      long kept = db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM auth_failures").mapTo(Long.class).one());
      assertThat(kept).as("failures past the window are deleted").isEqualTo(1);
    }
  }
}
