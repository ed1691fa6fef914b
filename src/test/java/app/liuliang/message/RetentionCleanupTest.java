package app.liuliang.message;

import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.store.Database;
import app.liuliang.testing.MutableClock;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetentionCleanupTest {

  @Test
  void handledMessagesOlderThanTheRetentionArePurgedAndUnhandledOnesKept() throws Exception {
    try (Database db = Database.open(Files.createTempDirectory("retention"))) {
      MutableClock clock = new MutableClock(Instant.parse("2026-11-25T02:00:00Z"));
      long old = clock.instant().minus(Duration.ofDays(31)).toEpochMilli();
      long recent = clock.instant().minus(Duration.ofDays(29)).toEpochMilli();
      db.jdbi().useHandle(h -> h.execute("INSERT INTO messages (msgid, external_userid, direction, msgtype, content, at, handled_at) "
          + "VALUES ('old', 'wm1', 'in', 'text', 'x', ?, ?), ('recent', 'wm1', 'in', 'text', 'x', ?, ?), "
          + "('old-unhandled', 'wm1', 'in', 'text', 'x', ?, NULL)", old, old, recent, recent, old));

      int purged = new RetentionCleanup(new MessageRepository(db.jdbi()), 30, clock).purge();

      assertThat(purged).isEqualTo(1);
      java.util.List<String> left = db.jdbi().withHandle(
          h -> h.createQuery("SELECT msgid FROM messages ORDER BY msgid").mapTo(String.class).list());
      assertThat(left).containsExactly("old-unhandled", "recent");
    }
  }
}
