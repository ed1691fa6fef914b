package app.liuliang.web.console;

import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ConsoleSessionsTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T04:00:00Z"));
  private final ConsoleSessions sessions = new ConsoleSessions(clock, Duration.ofHours(12));

  @Test
  void sessionsHaveDistinctRandomIdsAndCsrfTokens() {
    ConsoleSessions.Session a = sessions.create();
    ConsoleSessions.Session b = sessions.create();

    assertThat(a.id()).hasSize(43).isNotEqualTo(b.id()).isNotEqualTo(a.csrf());
    assertThat(a.csrf()).hasSize(43).isNotEqualTo(b.csrf());
  }

  @Test
  void aSessionLivesTwelveHoursThenIsGone() {
    ConsoleSessions.Session session = sessions.create();
    clock.advance(Duration.ofHours(12).minusMillis(1));
    assertThat(sessions.find(session.id())).contains(session);

    clock.advance(Duration.ofMillis(1));

    assertThat(sessions.find(session.id())).isEmpty();
  }

  @Test
  void endedAndUnknownSessionsAreNotFound() {
    ConsoleSessions.Session session = sessions.create();
    sessions.end(session.id());

    assertThat(sessions.find(session.id())).isEmpty();
    assertThat(sessions.find("made-up")).isEmpty();
    assertThat(sessions.find(null)).isEmpty();
    assertThat(sessions.find("")).isEmpty();
  }

  @Test
  void theOldestSessionMakesRoomWhenTheCapIsReached() {
    ConsoleSessions.Session oldest = sessions.create();
    clock.advance(Duration.ofSeconds(1));
    for (int i = 1; i < ConsoleSessions.MAX_SESSIONS; i++) {
      sessions.create();
    }
    assertThat(sessions.find(oldest.id())).isPresent();

    ConsoleSessions.Session newest = sessions.create();

    assertThat(sessions.find(oldest.id())).isEmpty();
    assertThat(sessions.find(newest.id())).isPresent();
  }
}
