package app.liuliang.store;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code liuliang store copy --to <jdbc url>}: an SQLite store into an empty PostgreSQL one, for a clinic that
 * grows into several nodes. The target is migrated first (so both are at the same version), every table is
 * copied in foreign-key order in one transaction, and each identity column's sequence is set past the
 * highest id, so new rows never collide with copied ones. Quartz's tables are not copied: the SOP schedule
 * is rebuilt from {@code sop_items} when the first node starts.
 */
public final class StoreCopy {

  private static final int BATCH = 1_000;

  /** What was copied: rows per table. */
  public record Result(Map<String, Long> rows) {
    public String summary() {
      long total = rows.values().stream().mapToLong(Long::longValue).sum();
      return "copied " + total + " rows in " + rows.size() + " tables: " + rows;
    }
  }

  /** Refused before anything was written: the target is not empty, not PostgreSQL, or the source is missing. */
  public static final class CopyRefused extends RuntimeException {
    public CopyRefused(String message) {
      super(message);
    }
  }

  private StoreCopy() {
  }

  public static Result copy(Database source, StoreLocation target) {
    if (source.kind() != StoreKind.SQLITE || target.kind() != StoreKind.POSTGRESQL) {
      throw new CopyRefused("store copy moves an SQLite store into PostgreSQL");
    }
    try (Database into = Database.open(target);
        Connection from = source.dataSource().getConnection();
        Connection to = into.dataSource().getConnection()) {
      List<String> tables = tablesInForeignKeyOrder(from);
      refuseUnlessEmpty(to, tables);
      to.setAutoCommit(false);
      Map<String, Long> rows = new TreeMap<>();
      try {
        for (String table : tables) {
          rows.put(table, copyTable(from, to, table));
        }
        setSequences(to, tables);
        to.commit();
      } catch (SQLException | RuntimeException e) {
        to.rollback();
        throw e;
      }
      return new Result(rows);
    } catch (SQLException e) {
      throw new IllegalStateException("store copy failed, nothing was kept in the target: " + e.getMessage(), null);
    }
  }

  /** The store's own tables, each after the tables it references. */
  private static List<String> tablesInForeignKeyOrder(Connection sqlite) throws SQLException {
    Map<String, Set<String>> references = new LinkedHashMap<>();
    try (Statement st = sqlite.createStatement();
        ResultSet rs = st.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table' "
            + "AND name NOT LIKE 'sqlite_%' AND name <> 'flyway_schema_history' ORDER BY name")) {
      while (rs.next()) {
        references.put(rs.getString(1), new LinkedHashSet<>());
      }
    }
    for (Map.Entry<String, Set<String>> table : references.entrySet()) {
      try (Statement st = sqlite.createStatement();
          ResultSet rs = st.executeQuery("SELECT \"table\" FROM pragma_foreign_key_list('" + table.getKey() + "')")) {
        while (rs.next()) {
          table.getValue().add(rs.getString(1));
        }
      }
    }
    List<String> ordered = new ArrayList<>();
    while (ordered.size() < references.size()) {
      int before = ordered.size();
      for (Map.Entry<String, Set<String>> table : references.entrySet()) {
        if (!ordered.contains(table.getKey()) && ordered.containsAll(
            table.getValue().stream().filter(t -> !t.equals(table.getKey())).toList())) {
          ordered.add(table.getKey());
        }
      }
      if (ordered.size() == before) {
        throw new CopyRefused("tables reference each other in a cycle: " + references);
      }
    }
    return ordered;
  }

  /** A freshly migrated store holds only its probe row; anything else means someone's data is there. */
  private static void refuseUnlessEmpty(Connection postgres, List<String> tables) throws SQLException {
    for (String table : tables) {
      if (table.equals("store_probe")) {
        continue;
      }
      try (Statement st = postgres.createStatement();
          ResultSet rs = st.executeQuery("SELECT 1 FROM " + table + " LIMIT 1")) {
        if (rs.next()) {
          throw new CopyRefused("the target store is not empty (" + table + " has rows); copy into an empty database");
        }
      }
    }
    try (Statement st = postgres.createStatement()) {
      st.execute("DELETE FROM store_probe");
    }
  }

  private static long copyTable(Connection from, Connection to, String table) throws SQLException {
    List<String> columns = new ArrayList<>();
    try (ResultSet rs = to.getMetaData().getColumns(null, to.getSchema(), table, null)) {
      while (rs.next()) {
        columns.add(rs.getString("COLUMN_NAME"));
      }
    }
    String list = String.join(", ", columns);
    String marks = String.join(", ", columns.stream().map(c -> "?").toList());
    long copied = 0;
    try (Statement read = from.createStatement();
        ResultSet rows = read.executeQuery("SELECT " + list + " FROM " + table);
        PreparedStatement write = to.prepareStatement("INSERT INTO " + table + " (" + list + ") "
            + "OVERRIDING SYSTEM VALUE VALUES (" + marks + ")")) {
      while (rows.next()) {
        for (int i = 0; i < columns.size(); i++) {
          write.setObject(i + 1, rows.getObject(i + 1));
        }
        write.addBatch();
        if (++copied % BATCH == 0) {
          write.executeBatch();
        }
      }
      write.executeBatch();
    } catch (SQLException e) {
      throw new SQLException("table " + table + ": " + e.getMessage(), e.getSQLState());
    }
    return copied;
  }

  /** Every identity column's sequence continues after the highest copied value. */
  private static void setSequences(Connection postgres, List<String> tables) throws SQLException {
    DatabaseMetaData meta = postgres.getMetaData();
    for (String table : tables) {
      try (ResultSet rs = meta.getColumns(null, postgres.getSchema(), table, null)) {
        while (rs.next()) {
          if ("YES".equals(rs.getString("IS_AUTOINCREMENT"))) {
            String column = rs.getString("COLUMN_NAME");
            try (Statement st = postgres.createStatement()) {
              st.execute("SELECT setval(pg_get_serial_sequence('" + table + "', '" + column + "'), "
                  + "COALESCE((SELECT MAX(" + column + ") FROM " + table + "), 0) + 1, false)");
            }
          }
        }
      }
    }
  }
}
