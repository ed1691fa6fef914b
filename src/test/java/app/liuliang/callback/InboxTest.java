package app.liuliang.callback;

import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.store.Database;
import app.liuliang.testing.TestServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The inbox on a real SQLite file: dedupe, retries, dead letters, and resuming after a stop. */
class InboxTest {

  private static final String EVENT = "<xml><MsgType>event</MsgType><Event>change_external_contact</Event>"
      + "<ChangeType>add_external_contact</ChangeType><ExternalUserID>wm1</ExternalUserID></xml>";

  /** A handler that records the events it saw and fails while told to. */
  static final class Recording implements CallbackHandler {
    final List<String> seen = new CopyOnWriteArrayList<>();
    final AtomicInteger failuresLeft = new AtomicInteger();

    @Override
    public boolean accepts(CallbackEvent event) {
      return event.event().equals("change_external_contact");
    }

    @Override
    public void handle(CallbackEvent event) {
      if (failuresLeft.getAndDecrement() > 0) {
        throw new IllegalStateException("WeCom is down");
      }
      seen.add(event.eventKey());
    }
  }

  private static Inbox inbox(Database db, CallbackHandler handler, int maxAttempts) {
    return new Inbox(db, new EventDispatcher(List.of(handler)), Clock.systemUTC(), 2, maxAttempts, new SimpleMeterRegistry());
  }

  private static Map<String, Long> statuses(Database db) {
    return new InboxRepository(db.jdbi()).countByStatus();
  }

  @Test
  void theSameEventAppendedThreeTimesIsHandledOnce() throws Exception {
    try (Database db = Database.open(Files.createTempDirectory("inbox"))) {
      Recording handler = new Recording();
      try (Inbox inbox = inbox(db, handler, 3)) {
        String key = CallbackRoutes.eventKey(EVENT);
        assertThat(inbox.append(key, "k", EVENT, 1).get()).isTrue();
        assertThat(inbox.append(key, "k", EVENT, 2).get()).isFalse();
        assertThat(inbox.append(key, "k", EVENT, 3).get()).isFalse();

        TestServer.awaitUntil(() -> statuses(db).getOrDefault("done", 0L) == 1);
      }
      assertThat(handler.seen).hasSize(1);
    }
  }

  @Test
  void eventsNoHandlerAcceptsAreStoredAndSkipped() throws Exception {
    try (Database db = Database.open(Files.createTempDirectory("inbox"))) {
      try (Inbox inbox = inbox(db, new Recording(), 3)) {
        String other = "<xml><MsgType>event</MsgType><Event>brand_new_event</Event></xml>";
        inbox.append(CallbackRoutes.eventKey(other), "event/brand_new_event", other, 1).get();

        TestServer.awaitUntil(() -> statuses(db).getOrDefault("skipped", 0L) == 1);
      }
    }
  }

  @Test
  void aFailingHandlerIsRetriedAndThenDeadLettered() throws Exception {
    try (Database db = Database.open(Files.createTempDirectory("inbox"))) {
      Recording handler = new Recording();
      handler.failuresLeft.set(100);
      try (Inbox inbox = inbox(db, handler, 1)) {
        inbox.append(CallbackRoutes.eventKey(EVENT), "k", EVENT, 1).get();

        TestServer.awaitUntil(() -> statuses(db).getOrDefault("dead", 0L) == 1);
      }
      assertThat(new InboxRepository(db.jdbi()).recent(1).get(0).lastError()).contains("WeCom is down");
    }
  }

  @Test
  void pendingRowsLeftByAStopAreProcessedAfterRestart() throws Exception {
    Path dir = Files.createTempDirectory("inbox");
    try (Database db = Database.open(dir)) {
      // A crash between storing and handling (one row mid-handling, already tried once): both pending.
      db.jdbi().useHandle(h -> {
        h.execute("INSERT INTO inbox (event_key, kind, payload, received_at, status, attempts, next_attempt_at) "
            + "VALUES ('k1', 'k', ?, 1, 'pending', 0, 0)", EVENT.replace("wm1", "wm1"));
        h.execute("INSERT INTO inbox (event_key, kind, payload, received_at, status, attempts, next_attempt_at) "
            + "VALUES ('k2', 'k', ?, 1, 'pending', 1, 0)", EVENT.replace("wm1", "wm2"));
      });
    }
    try (Database db = Database.open(dir)) {
      Recording handler = new Recording();
      try (Inbox inbox = inbox(db, handler, 3)) {
        TestServer.awaitUntil(() -> statuses(db).getOrDefault("done", 0L) == 2);
      }
      assertThat(handler.seen).containsExactlyInAnyOrder("k1", "k2");
    }
  }
}
