package app.liuliang.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Both vendors' migration folders build the same store, and PostgreSQL is chosen only by the contract's variables. */
class StoreMigrationsTest {

  static List<StoreKind> kinds() {
    return TestStores.kinds();
  }

  @ParameterizedTest
  @MethodSource("kinds")
  void aFreshStoreMigratesAndRoundTripsAWrite(StoreKind kind) {
    try (Database database = TestStores.create(kind)) {
      assertThat(database.kind()).isEqualTo(kind);
      assertThat(database.isWritable()).isTrue();
      // The shims that keep the queries portable: SQLite's instr and group_concat.
      int position = database.jdbi().withHandle(h -> h.createQuery("SELECT instr('abcabc', 'ca')").mapTo(Integer.class).one());
      assertThat(position).isEqualTo(3);
      database.jdbi().useHandle(h -> {
        h.execute("INSERT INTO contact_follows (external_userid, userid, status, added_at) VALUES ('wm1', 'a', 'active', 1)");
        h.execute("INSERT INTO contact_follows (external_userid, userid, status, added_at) VALUES ('wm1', 'b', 'active', 2)");
      });
      String joined = database.jdbi().withHandle(h -> h.createQuery(
          "SELECT group_concat(userid, ';') FROM contact_follows WHERE external_userid = 'wm1'").mapTo(String.class).one());
      assertThat(joined.split(";")).containsExactlyInAnyOrder("a", "b");
    }
  }

  @Test
  void everySqliteMigrationHasAPostgresTwinOfTheSameVersion() throws Exception {
    assertThat(scripts("postgresql")).isEqualTo(scripts("sqlite"));
  }

  @Test
  void thePostgresStoreHasEveryTableAndColumnTheSqliteStoreHas() {
    TestStores.assumePostgres();
    try (Database sqlite = TestStores.create(StoreKind.SQLITE);
        Database postgres = TestStores.create(StoreKind.POSTGRESQL)) {
      Map<String, List<String>> sqliteColumns = sqlite.jdbi().withHandle(h -> h.createQuery(
              "SELECT m.name AS t, p.name AS c FROM sqlite_master m, pragma_table_info(m.name) p "
                  + "WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite%' AND m.name <> 'flyway_schema_history'")
          .reduceRows(new java.util.TreeMap<String, List<String>>(), (acc, row) -> {
            acc.computeIfAbsent(row.getColumn("t", String.class), k -> new java.util.ArrayList<>())
                .add(row.getColumn("c", String.class));
            return acc;
          }));
      Map<String, List<String>> postgresColumns = postgres.jdbi().withHandle(h -> h.createQuery(
              "SELECT table_name AS t, column_name AS c FROM information_schema.columns "
                  + "WHERE table_schema = current_schema() AND table_name <> 'flyway_schema_history' "
                  + "AND table_name NOT LIKE 'qrtz%' ORDER BY ordinal_position")
          .reduceRows(new java.util.TreeMap<String, List<String>>(), (acc, row) -> {
            acc.computeIfAbsent(row.getColumn("t", String.class), k -> new java.util.ArrayList<>())
                .add(row.getColumn("c", String.class));
            return acc;
          }));
      assertThat(postgresColumns.keySet()).containsExactlyInAnyOrderElementsOf(
          sqliteColumns.keySet().stream().filter(t -> !t.startsWith("qrtz")).toList());
      sqliteColumns.forEach((table, columns) -> {
        if (!table.startsWith("qrtz")) {
          assertThat(postgresColumns.get(table)).as(table).containsExactlyInAnyOrderElementsOf(columns);
        }
      });
    }
  }

  @Test
  void onlyAJdbcPostgresUrlSelectsPostgres() {
    Path dir = Path.of("/tmp/store");
    assertThat(StoreLocation.fromEnvironment(Map.of(), dir).kind()).isEqualTo(StoreKind.SQLITE);
    StoreLocation pg = StoreLocation.fromEnvironment(Map.of(StoreLocation.URL, "jdbc:postgresql://db:5432/liuliang",
        StoreLocation.USER, "u", StoreLocation.PASSWORD, "s3cret"), dir);
    assertThat(pg.kind()).isEqualTo(StoreKind.POSTGRESQL);
    assertThat(pg.toString()).doesNotContain("s3cret");
    assertThat(StoreLocation.fromEnvironment(Map.of(StoreLocation.URL, "jdbc:postgresql://db/x?password=s3cret"), dir)
        .toString()).doesNotContain("s3cret");
    assertThatThrownBy(() -> StoreLocation.fromEnvironment(Map.of(StoreLocation.URL, "mysql://db?password=s3cret"), dir))
        .hasMessageContaining(StoreLocation.URL).hasMessageNotContaining("s3cret");
  }

  private static List<String> scripts(String vendor) throws Exception {
    Path folder = Path.of("src/main/resources/db/migration", vendor);
    try (Stream<Path> files = Files.list(folder)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
