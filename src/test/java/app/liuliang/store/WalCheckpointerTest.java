package app.liuliang.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/** Checkpoints leave the commit path: SQLite's automatic one is off, ours moves the whole WAL. */
class WalCheckpointerTest {

  private static Map<String, Object> passiveCheckpoint(Jdbi jdbi) {
    return jdbi.withHandle(h -> h.createQuery("PRAGMA wal_checkpoint(PASSIVE)").mapToMap().one());
  }

  @Test
  void commitsNeverCheckpointAndTheCheckpointerMovesEveryPage() throws Exception {
    Path dir = Files.createTempDirectory("wal");
    try (Database db = Database.open(dir)) {
      for (Jdbi jdbi : new Jdbi[] {db.jdbi(), db.durableJdbi()}) {
        int autoCheckpoint = jdbi.withHandle(h -> h.createQuery("PRAGMA wal_autocheckpoint").mapTo(Integer.class).one());
        assertThat(autoCheckpoint).isZero();
      }
      // About 6 MB: past the 1,000 pages at which a commit would otherwise have checkpointed.
      String payload = "x".repeat(4_000);
      db.durableJdbi().useHandle(h -> {
        for (int i = 0; i < 1_500; i++) {
          h.execute("INSERT INTO inbox (event_key, kind, payload, received_at, status, attempts, next_attempt_at) "
              + "VALUES (?, 'k', ?, 0, 'done', 1, 0)", "wal-" + i, payload);
        }
      });
      assertThat(Files.size(dir.resolve("liuliang.db-wal"))).isGreaterThan(4_096L * 1_000);

      long walPages = db.checkpoint();

      assertThat(walPages).isGreaterThan(1_000);
      Map<String, Object> after = passiveCheckpoint(db.jdbi());
      assertThat(after.get("busy")).isEqualTo(0);
      assertThat(after.get("checkpointed")).isEqualTo(after.get("log"));
      long rows = db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM inbox").mapTo(Long.class).one());
      assertThat(rows).isEqualTo(1_500);
    }
  }
}
