package app.liuliang.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code store copy}: an SQLite store's rows, bytes and ids into an empty PostgreSQL store, and never into a used one. */
class StoreCopyTest {

  @Test
  void copiesEveryRowAndNewRowsContinueAfterTheCopiedIds(@TempDir Path dir) throws Exception {
    TestStores.assumePostgres();
    byte[] png = Files.readAllBytes(Path.of("config/media").toFile().listFiles()[0].toPath());
    try (Database sqlite = Database.open(dir)) {
      sqlite.jdbi().useHandle(h -> {
        h.execute("INSERT INTO contacts (external_userid, name, added_at, updated_at) VALUES ('wm1', '张三', 1, 1)");
        h.execute("INSERT INTO contact_follows (external_userid, userid, status, added_at) VALUES ('wm1', 'lily', 'active', 1)");
        h.execute("INSERT INTO messages (id, external_userid, direction, msgtype, content, at) VALUES (41, 'wm1', 'in', 'text', '牙疼', 1)");
        h.createUpdate("INSERT INTO channel_codes (state, channel, spec, spec_hash, qr_png, status, created_at, updated_at) "
            + "VALUES ('lc.meituan', 'meituan', '{}', 'h', :png, 'active', 1, 1)").bind("png", png).execute();
      });
      StoreLocation target = TestStores.freshPostgres();
      StoreCopy.Result result = StoreCopy.copy(sqlite, target);
      assertThat(result.rows()).containsEntry("contacts", 1L).containsEntry("messages", 1L)
          .containsEntry("channel_codes", 1L).containsEntry("contact_follows", 1L);

      try (Database postgres = Database.open(target)) {
        String name = postgres.jdbi().withHandle(h -> h.createQuery("SELECT name FROM contacts").mapTo(String.class).one());
        assertThat(name).isEqualTo("张三");
        byte[] copied = postgres.jdbi().withHandle(h -> h.createQuery("SELECT qr_png FROM channel_codes")
            .mapTo(byte[].class).one());
        assertThat(copied).isEqualTo(png);
        long next = postgres.jdbi().withHandle(h -> h.createUpdate(
                "INSERT INTO messages (external_userid, direction, msgtype, content, at) VALUES ('wm1', 'out', 'text', '好的', 2)")
            .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
        assertThat(next).isGreaterThan(41);
        assertThat(postgres.isWritable()).isTrue();

        assertThatThrownBy(() -> StoreCopy.copy(sqlite, target)).isInstanceOf(StoreCopy.CopyRefused.class)
            .hasMessageContaining("not empty");
      }
    }
  }
}
