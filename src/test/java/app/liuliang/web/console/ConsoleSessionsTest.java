package app.liuliang.web.console;

import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import app.liuliang.store.Database;
import app.liuliang.store.StoreKind;
import app.liuliang.store.TestStores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

@ParameterizedClass
@MethodSource("app.liuliang.store.TestStores#kinds")
class ConsoleSessionsTest {

  @Parameter
  StoreKind kind;

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-25T04:00:00Z"));
  private Database db;
  private ConsoleSessions sessions;

  @BeforeEach
  void open() {
    db = TestStores.create(kind);
    sessions = new ConsoleSessions(db.jdbi(), clock, Duration.ofHours(12));
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void anotherNodeKnowsTheSessionAndTheStoreHoldsOnlyItsHash() {
    ConsoleSessions.Session session = sessions.create();
    ConsoleSessions otherNode = new ConsoleSessions(db.jdbi(), clock, Duration.ofHours(12));
    assertThat(otherNode.find(session.id())).contains(session);
    String stored = db.jdbi().withHandle(h -> h.createQuery("SELECT id_hash FROM console_sessions").mapTo(String.class).one());
    assertThat(stored).isNotEqualTo(session.id()).hasSize(64);
    otherNode.end(session.id());
    assertThat(sessions.find(session.id())).isEmpty();
  }

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
