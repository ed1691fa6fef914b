package app.liuliang.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseTest {

  private static String pragma(Jdbi jdbi, String name) {
    return jdbi.withHandle(h -> h.createQuery("PRAGMA " + name).mapTo(String.class).one());
  }

  @Test
  void bothPoolsUseTheWalWithSmallCheckpointsAndTheirOwnDurability(@TempDir Path dir) {
    try (Database database = Database.open(dir)) {
      for (Jdbi pool : new Jdbi[] {database.jdbi(), database.durableJdbi()}) {
        assertThat(pragma(pool, "journal_mode")).isEqualTo("wal");
        assertThat(pragma(pool, "wal_autocheckpoint")).isEqualTo(String.valueOf(Database.WAL_AUTOCHECKPOINT_PAGES));
      }
      // synchronous: 1 = NORMAL, 2 = FULL
      assertThat(pragma(database.jdbi(), "synchronous")).isEqualTo("1");
      assertThat(pragma(database.durableJdbi(), "synchronous")).isEqualTo("2");
      assertThat(database.isWritable()).isTrue();
    }
  }
}
