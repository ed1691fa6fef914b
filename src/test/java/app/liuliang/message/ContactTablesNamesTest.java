package app.liuliang.message;

import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.store.Database;
import app.liuliang.testing.MutableClock;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Contact names from kf nicknames: only ever filling a gap, never replacing the externalcontact/get name. */
class ContactTablesNamesTest {

  @Test
  void unnamedListsUnknownAndBlankContactsOnceInOrder() throws Exception {
    try (Database db = Database.open(Files.createTempDirectory("names"))) {
      db.jdbi().useHandle(h -> h.execute("INSERT INTO contacts (external_userid, name, added_at, updated_at) "
          + "VALUES ('wmNamed', '张先生', 0, 0), ('wmBlank', '', 0, 0)"));

      assertThat(profile(db).unnamed(List.of("wmNew", "wmNamed", "wmBlank", "wmNew"))).containsExactly("wmNew", "wmBlank");
      assertThat(profile(db).unnamed(List.of())).isEmpty();
    }
  }

  @Test
  void nicknameFillsOnlyAMissingName() throws Exception {
    try (Database db = Database.open(Files.createTempDirectory("names"))) {
      db.jdbi().useHandle(h -> h.execute("INSERT INTO contacts (external_userid, name, channel, added_at, updated_at) "
          + "VALUES ('wmNamed', '张先生', 'meituan', 0, 0), ('wmBlank', '', 'kf', 0, 0)"));

      profile(db).nameIfUnnamed(Map.of("wmNamed", "昵称", "wmBlank", "小B", "wmNew", "小N"), "kf");

      assertThat(column(db, "name")).containsExactly("wmBlank=小B", "wmNamed=张先生", "wmNew=小N");
      assertThat(column(db, "channel")).containsExactly("wmBlank=kf", "wmNamed=meituan", "wmNew=kf");
    }
  }

  private static ContactTables profile(Database db) {
    return new ContactTables(db.jdbi(), new MutableClock(Instant.parse("2026-11-25T02:00:00Z")));
  }

  private static List<String> column(Database db, String column) {
    return db.jdbi().withHandle(h -> h.createQuery("SELECT external_userid || '=' || " + column
        + " FROM contacts ORDER BY external_userid").mapTo(String.class).list());
  }
}
