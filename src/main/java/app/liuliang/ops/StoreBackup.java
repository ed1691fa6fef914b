package app.liuliang.ops;

import app.liuliang.store.DataDirLock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A consistent online copy of the store, and its way back. {@code VACUUM INTO} reads one snapshot of
 * the WAL database, so the copy holds every transaction committed before it began (every acknowledged
 * callback among them) and writers are not blocked meanwhile. The media files the store's plans and
 * templates point to ({@code config/media/**}) travel inside the copy, in a {@code backup_media} table,
 * so one file is the whole backup and still opens with {@code sqlite3}. Every copy is verified before
 * it takes its final name: opened, {@code PRAGMA integrity_check}, a row count per table.
 */
public final class StoreBackup {

  public static final String DB_FILE = "liuliang.db";
  static final String MEDIA_TABLE = "backup_media";

  private StoreBackup() {
  }

  /** What a backup or restore did: the file, each table's rows, the media files carried. */
  public record Result(Path file, Map<String, Long> rowCounts, int mediaFiles, long bytes) {
    public String summary() {
      StringBuilder rows = new StringBuilder();
      rowCounts.forEach((table, n) -> rows.append(rows.isEmpty() ? "" : ", ").append(table).append('=').append(n));
      return file + ": " + bytes + " bytes, integrity ok, " + mediaFiles + " media files, rows: " + rows;
    }
  }

  /** Copies the store in {@code dataDir} (running server or not) to {@code out}, which must not exist. */
  public static Result backup(Path dataDir, Path configDir, Path out) {
    Path db = dataDir.resolve(DB_FILE);
    if (!Files.exists(db)) {
      throw new BackupException("no store at " + db);
    }
    if (Files.exists(out)) {
      throw new BackupException(out + " exists already; a backup never overwrites a file");
    }
    Path tmp = out.resolveSibling(out.getFileName() + ".partial");
    try {
      Files.createDirectories(out.toAbsolutePath().getParent());
      Files.deleteIfExists(tmp);
      try (Connection live = open(db)) {
        try (PreparedStatement vacuum = live.prepareStatement("VACUUM INTO ?")) {
          vacuum.setString(1, tmp.toAbsolutePath().toString());
          vacuum.execute();
        }
      }
      int media = addMedia(tmp, configDir.resolve("media"));
      Map<String, Long> counts = verify(tmp);
      Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE);
      return new Result(out, counts, media, Files.size(out));
    } catch (SQLException e) {
      throw new BackupException("backup of " + db + " failed: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("backup to " + out + " failed", e);
    } finally {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // The partial copy is only litter; the failure that left it is what the caller hears about.
      }
    }
  }

  /**
   * Opens the copy, runs {@code PRAGMA integrity_check} and counts every table's rows (without the media
   * table); throws when the check finds anything.
   */
  public static Map<String, Long> verify(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new BackupException("no backup at " + file);
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:file:" + file.toAbsolutePath() + "?mode=ro");
         Statement st = c.createStatement()) {
      List<String> problems = new ArrayList<>();
      try (ResultSet rs = st.executeQuery("PRAGMA integrity_check")) {
        while (rs.next()) {
          problems.add(rs.getString(1));
        }
      }
      if (!problems.equals(List.of("ok"))) {
        throw new BackupException(file + " fails the integrity check: " + String.join("; ", problems));
      }
      Map<String, Long> counts = new LinkedHashMap<>();
      for (String table : tables(c)) {
        if (!table.equals(MEDIA_TABLE)) {
          try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM \"" + table + "\"")) {
            counts.put(table, rs.next() ? rs.getLong(1) : 0);
          }
        }
      }
      if (!counts.containsKey("flyway_schema_history")) {
        throw new BackupException(file + " is not a Liuliang store (no flyway_schema_history table)");
      }
      return counts;
    } catch (SQLException e) {
      throw new BackupException(file + " does not open as a SQLite store: " + e.getMessage(), e);
    }
  }

  /**
   * Restores {@code backup} into {@code dataDir}, which must be empty and not in use by a server; media
   * files missing from {@code configDir/media} are written back (existing ones are never overwritten).
   */
  public static Result restore(Path backup, Path dataDir, Path configDir) {
    if (DataDirLock.isHeld(dataDir)) {
      throw new BackupException("a running server holds " + dataDir + "; stop it first (systemctl stop liuliang)");
    }
    if (!isEmpty(dataDir)) {
      throw new BackupException(dataDir + " is not empty; restore only into an empty data folder "
          + "(move the old one aside, e.g. mv data data.broken)");
    }
    Map<String, Long> counts = verify(backup);
    try {
      Files.createDirectories(dataDir);
      try (DataDirLock lock = DataDirLock.acquire(dataDir)) {
        Path tmp = dataDir.resolve(DB_FILE + ".restoring");
        Files.copy(backup, tmp, StandardCopyOption.REPLACE_EXISTING);
        int media;
        try (Connection c = open(tmp)) {
          media = extractMedia(c, configDir.resolve("media"));
          try (Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS " + MEDIA_TABLE);
          }
        }
        Files.move(tmp, dataDir.resolve(DB_FILE), StandardCopyOption.ATOMIC_MOVE);
        return new Result(dataDir.resolve(DB_FILE), counts, media, Files.size(dataDir.resolve(DB_FILE)));
      }
    } catch (SQLException e) {
      throw new BackupException("restore of " + backup + " failed: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("restore into " + dataDir + " failed", e);
    }
  }

  /** Nothing there yet but, at most, the lock file a stopped server left. */
  private static boolean isEmpty(Path dataDir) {
    if (!Files.exists(dataDir)) {
      return true;
    }
    try (Stream<Path> files = Files.list(dataDir)) {
      return files.allMatch(f -> f.getFileName().toString().equals(DataDirLock.FILE));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Connection open(Path db) throws SQLException {
    Connection c = DriverManager.getConnection("jdbc:sqlite:" + db.toAbsolutePath());
    try (Statement st = c.createStatement()) {
      st.execute("PRAGMA busy_timeout = 30000");
    }
    return c;
  }

  private static List<String> tables(Connection c) throws SQLException {
    List<String> names = new ArrayList<>();
    try (Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table' "
             + "AND name NOT LIKE 'sqlite_%' ORDER BY name")) {
      while (rs.next()) {
        names.add(rs.getString(1));
      }
    }
    return names;
  }

  private static int addMedia(Path copy, Path mediaDir) throws SQLException, IOException {
    if (!Files.isDirectory(mediaDir)) {
      return 0;
    }
    List<Path> files;
    try (Stream<Path> walk = Files.walk(mediaDir)) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    }
    try (Connection c = open(copy); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE " + MEDIA_TABLE + " (path TEXT PRIMARY KEY, bytes BLOB NOT NULL)");
      try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + MEDIA_TABLE + " (path, bytes) VALUES (?, ?)")) {
        for (Path f : files) {
          insert.setString(1, mediaDir.relativize(f).toString().replace('\\', '/'));
          insert.setBytes(2, Files.readAllBytes(f));
          insert.executeUpdate();
        }
      }
    }
    return files.size();
  }

  private static int extractMedia(Connection c, Path mediaDir) throws SQLException, IOException {
    if (!tables(c).contains(MEDIA_TABLE)) {
      return 0;
    }
    int written = 0;
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT path, bytes FROM " + MEDIA_TABLE)) {
      while (rs.next()) {
        Path target = mediaDir.resolve(rs.getString(1)).normalize();
        if (!target.startsWith(mediaDir.normalize())) {
          throw new BackupException("media path outside the media folder in the backup: " + rs.getString(1));
        }
        if (!Files.exists(target)) {
          Files.createDirectories(target.getParent());
          Files.write(target, rs.getBytes(2));
          written++;
        }
      }
    }
    return written;
  }

  /** A backup or restore that must not go ahead or did not verify; the message says why, for the operator. */
  public static final class BackupException extends RuntimeException {
    BackupException(String message) {
      super(message);
    }

    BackupException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
