package app.liuliang.callback;

import app.liuliang.store.Node;

import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.store.Database;
import app.liuliang.testing.TestServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;
import app.liuliang.store.StoreKind;
import app.liuliang.store.StoreLocation;
import app.liuliang.store.TestStores;

/** The inbox on a real SQLite file: dedupe, retries, dead letters, and resuming after a stop. */
@ParameterizedClass
@MethodSource("app.liuliang.store.TestStores#kinds")
class InboxTest {

  @Parameter
  StoreKind kind;


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
    return new Inbox(db, Node.local(), new EventDispatcher(List.of(handler)), Clock.systemUTC(), 2, maxAttempts, new SimpleMeterRegistry());
  }

  /** Appends as the ingress does: with the fields parsed from the payload. */
  private static CompletableFuture<Boolean> append(Inbox inbox, String key, String xml, long at)
      throws SafeXml.MalformedXmlException {
    Map<String, String> fields = new SafeXml().parse(xml);
    return inbox.append(key, CallbackEvent.kindOf(fields), xml, at, fields);
  }

  private static Map<String, Long> statuses(Database db) {
    return new InboxRepository(db.jdbi()).countByStatus();
  }

  @Test
  void theSameEventAppendedThreeTimesIsHandledOnce() throws Exception {
    try (Database db = Database.open(TestStores.location(kind, Files.createTempDirectory("inbox")))) {
      Recording handler = new Recording();
      try (Inbox inbox = inbox(db, handler, 3)) {
        String key = CallbackRoutes.eventKey(EVENT);
        assertThat(append(inbox, key, EVENT, 1).get()).isTrue();
        assertThat(append(inbox, key, EVENT, 2).get()).isFalse();
        assertThat(append(inbox, key, EVENT, 3).get()).isFalse();

        TestServer.awaitUntil(() -> statuses(db).getOrDefault("done", 0L) == 1);
      }
      assertThat(handler.seen).hasSize(1);
    }
  }

  @Test
  void eventsNoHandlerAcceptsAreStoredAndSkipped() throws Exception {
    try (Database db = Database.open(TestStores.location(kind, Files.createTempDirectory("inbox")))) {
      try (Inbox inbox = inbox(db, new Recording(), 3)) {
        String other = "<xml><MsgType>event</MsgType><Event>brand_new_event</Event></xml>";
        append(inbox, CallbackRoutes.eventKey(other), other, 1).get();

        TestServer.awaitUntil(() -> statuses(db).getOrDefault("skipped", 0L) == 1);
      }
    }
  }

  @Test
  void aFailingHandlerIsRetriedAndThenDeadLettered() throws Exception {
    try (Database db = Database.open(TestStores.location(kind, Files.createTempDirectory("inbox")))) {
      Recording handler = new Recording();
      handler.failuresLeft.set(100);
      try (Inbox inbox = inbox(db, handler, 1)) {
        append(inbox, CallbackRoutes.eventKey(EVENT), EVENT, 1).get();

        TestServer.awaitUntil(() -> statuses(db).getOrDefault("dead", 0L) == 1);
      }
      assertThat(new InboxRepository(db.jdbi()).recent(1).get(0).lastError()).contains("WeCom is down");
    }
  }

  @Test
  void pendingRowsLeftByAStopAreProcessedAfterRestart() throws Exception {
    StoreLocation dir = TestStores.location(kind, Files.createTempDirectory("inbox"));
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

  @Test
  void eventsAboutOnePersonAreHandledInOrderWhileTheLanesAreFull() throws Exception {
    // Two events in memory at most: most events find the lanes full and wait in the store for the
    // poller, while others are handed over as lanes free up. No event may overtake an older one
    // about the same person. Each person's events arrive in order, each after the previous one's ack,
    // as WeCom sends them.
    Map<String, List<Integer>> handled = new ConcurrentHashMap<>();
    CallbackHandler slow = new CallbackHandler() {
      @Override
      public boolean accepts(CallbackEvent event) {
        return true;
      }

      @Override
      public void handle(CallbackEvent event) throws Exception {
        Thread.sleep(ThreadLocalRandom.current().nextInt(3));
        handled.computeIfAbsent(event.orderingKey(), k -> new CopyOnWriteArrayList<>())
            .add(Integer.parseInt(event.field("Seq")));
      }
    };
    int people = 8;
    int perPerson = 15;
    try (Database db = Database.open(TestStores.location(kind, Files.createTempDirectory("inbox")));
        Inbox inbox = new Inbox(db, Node.local(), new EventDispatcher(List.of(slow)), Clock.systemUTC(), 4, 3,
            new SimpleMeterRegistry(), 2)) {
      List<Thread> senders = new ArrayList<>();
      for (int p = 0; p < people; p++) {
        String person = "wmOrder" + p;
        Thread sender = new Thread(() -> {
          for (int seq = 0; seq < perPerson; seq++) {
            String xml = "<xml><MsgType>event</MsgType><Event>change_external_contact</Event>"
                + "<ChangeType>edit_external_contact</ChangeType><ExternalUserID>" + person + "</ExternalUserID>"
                + "<Seq>" + seq + "</Seq></xml>";
            try {
              append(inbox, CallbackRoutes.eventKey(xml), xml, seq).get();
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          }
        });
        sender.start();
        senders.add(sender);
      }
      for (Thread sender : senders) {
        sender.join();
      }
      TestServer.awaitUntil(() -> statuses(db).getOrDefault("done", 0L) == people * perPerson);
    }
    assertThat(handled).hasSize(people);
    handled.values().forEach(seqs -> assertThat(seqs).isSorted().hasSize(perPerson));
  }
}
