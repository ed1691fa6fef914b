package app.liuliang.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;

/**
 * Stores for tests that run on both vendors. PostgreSQL comes from {@code LIULIANG_TEST_PG_URL} /
 * {@code _USER} / {@code _PASSWORD} (scripts/test.sh sets them after starting a server); each store is a
 * fresh schema in that database. With {@code LIULIANG_TEST_PG_REQUIRED=1} (as in CI) a missing server fails
 * the tests instead of skipping them.
 */
public final class TestStores {

  private static final AtomicInteger SCHEMAS = new AtomicInteger();
  private static final long RUN = System.currentTimeMillis();
  private static volatile boolean swept;

  private TestStores() {
  }

  /** The kinds to run a store test on: SQLite, and PostgreSQL when one is configured. */
  public static List<StoreKind> kinds() {
    List<StoreKind> kinds = new ArrayList<>(List.of(StoreKind.SQLITE));
    if (postgresConfigured()) {
      kinds.add(StoreKind.POSTGRESQL);
    }
    return kinds;
  }

  public static boolean postgresConfigured() {
    String url = System.getenv("LIULIANG_TEST_PG_URL");
    if (url == null || url.isBlank()) {
      if ("1".equals(System.getenv("LIULIANG_TEST_PG_REQUIRED"))) {
        throw new IllegalStateException("LIULIANG_TEST_PG_REQUIRED=1 but LIULIANG_TEST_PG_URL is not set");
      }
      return false;
    }
    return true;
  }

  /** Skips the calling test when no PostgreSQL is configured (never in CI: there it is required). */
  public static void assumePostgres() {
    Assumptions.assumeTrue(postgresConfigured(), "no LIULIANG_TEST_PG_URL: PostgreSQL tests skipped");
  }

  /**
   * A fresh, migrated store of this kind. SQLite as a file, as the server runs it: concurrent writers wait on
   * its lock there (an in-memory shared cache fails them instead).
   */
  public static Database create(StoreKind kind) {
    return switch (kind) {
      case SQLITE -> {
        try {
          yield Database.open(java.nio.file.Files.createTempDirectory("store"));
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
      case POSTGRESQL -> Database.open(freshPostgres());
    };
  }

  /** A fresh SQLite file in {@code folder}, or a fresh PostgreSQL schema: what a server process is given. */
  public static StoreLocation location(StoreKind kind, Path folder) {
    return kind == StoreKind.SQLITE ? StoreLocation.sqlite(folder) : freshPostgres();
  }

  /** A new empty schema in the test database, as a location whose connections use it. */
  public static StoreLocation freshPostgres() {
    assumePostgres();
    String schema = "t_" + RUN + "_" + SCHEMAS.incrementAndGet();
    try (Connection c = admin(); Statement st = c.createStatement()) {
      sweepOldSchemas(st);
      st.execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create a test schema in " + System.getenv("LIULIANG_TEST_PG_URL"), e);
    }
    String url = System.getenv("LIULIANG_TEST_PG_URL");
    return StoreLocation.postgresql(url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema,
        System.getenv("LIULIANG_TEST_PG_USER"), System.getenv("LIULIANG_TEST_PG_PASSWORD"));
  }

  /** The environment a server process needs to use {@code location}. */
  public static java.util.Map<String, String> environment(StoreLocation location) {
    if (location.kind() == StoreKind.SQLITE) {
      return java.util.Map.of();
    }
    return java.util.Map.of(StoreLocation.URL, location.url(), StoreLocation.USER, location.user(),
        StoreLocation.PASSWORD, location.password());
  }

  private static Connection admin() throws SQLException {
    return DriverManager.getConnection(System.getenv("LIULIANG_TEST_PG_URL"), System.getenv("LIULIANG_TEST_PG_USER"),
        System.getenv("LIULIANG_TEST_PG_PASSWORD"));
  }

  /** Drops schemas earlier runs left (older than an hour), once per JVM, so the test database stays small. */
  private static void sweepOldSchemas(Statement st) throws SQLException {
    if (swept) {
      return;
    }
    swept = true;
    List<String> old = new ArrayList<>();
    try (ResultSet rs = st.executeQuery("SELECT nspname FROM pg_namespace WHERE nspname LIKE 't\\_%\\_%'")) {
      while (rs.next()) {
        String[] parts = rs.getString(1).split("_");
        if (parts.length == 3 && parts[1].matches("\\d+") && Long.parseLong(parts[1]) < RUN - 3_600_000L) {
          old.add(rs.getString(1));
        }
      }
    }
    for (String schema : old) {
      st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
  }

}
