package app.liuliang.cli;

import app.liuliang.ops.StoreBackup;
import app.liuliang.store.Database;
import app.liuliang.store.StoreCopy;
import app.liuliang.store.StoreLocation;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code liuliang store backup --out FILE}, {@code liuliang store restore FILE} and
 * {@code liuliang store copy --to JDBC_URL}.
 */
@Command(name = "store", mixinStandardHelpOptions = true,
    description = "Back the store up, restore it, or copy it into PostgreSQL.",
    subcommands = {StoreCommand.Backup.class, StoreCommand.Restore.class, StoreCommand.Copy.class})
public final class StoreCommand {

  /** Exit code when a backup or restore refused or failed to verify. */
  static final int REFUSED = 1;

  /** The folders both subcommands work on, the server's own by default. */
  static final class Folders {
    @Option(names = "--data-dir", defaultValue = "${env:LIULIANG_DATA_DIR:-./data}",
        description = "Folder of liuliang.db (default: $LIULIANG_DATA_DIR or ./data).")
    Path dataDir;

    @Option(names = "--config-dir", defaultValue = "${env:LIULIANG_CONFIG_DIR:-./config}",
        description = "Config folder whose media/ travels with the backup (default: $LIULIANG_CONFIG_DIR or ./config).")
    Path configDir;

    /** Set when the server's store is PostgreSQL: then liuliang.db is not the store, and backup refuses. */
    @Option(names = "--database-url", hidden = true, defaultValue = "${env:LIULIANG_DATABASE_URL:-}")
    String databaseUrl;
  }

  @Command(name = "backup", mixinStandardHelpOptions = true,
      description = "Copy the store (while the server runs) to FILE, with its media, and verify the copy.")
  static final class Backup implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @picocli.CommandLine.Mixin
    Folders folders;

    @Option(names = "--out", required = true, description = "The backup file to write (must not exist).")
    Path out;

    @Override
    public Integer call() {
      return run(spec, folders, () -> StoreBackup.backup(folders.dataDir, folders.configDir, out));
    }
  }

  @Command(name = "restore", mixinStandardHelpOptions = true,
      description = "Restore FILE into an empty data folder no server is using; missing media files are written back.")
  static final class Restore implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @picocli.CommandLine.Mixin
    Folders folders;

    @Parameters(index = "0", paramLabel = "FILE", description = "A file written by `store backup`.")
    Path file;

    @Override
    public Integer call() {
      return run(spec, folders, () -> StoreBackup.restore(file, folders.dataDir, folders.configDir));
    }
  }

  @Command(name = "copy", mixinStandardHelpOptions = true,
      description = "Copy the SQLite store into an empty PostgreSQL database (stop the server first), for scale-out.")
  static final class Copy implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @picocli.CommandLine.Mixin
    Folders folders;

    @Option(names = "--to", required = true, paramLabel = "JDBC_URL",
        description = "e.g. jdbc:postgresql://127.0.0.1:5432/liuliang; user and password from "
            + "LIULIANG_DATABASE_USER / LIULIANG_DATABASE_PASSWORD.")
    String to;

    @Override
    public Integer call() {
      PrintWriter err = spec.commandLine().getErr();
      Path file = folders.dataDir.resolve("liuliang.db");
      if (!java.nio.file.Files.exists(file)) {
        err.println("refused: no store at " + file + " (set LIULIANG_DATA_DIR or --data-dir)");
        err.flush();
        return REFUSED;
      }
      try {
        StoreLocation target = StoreLocation.postgresql(to, System.getenv().getOrDefault(StoreLocation.USER, ""),
            System.getenv().getOrDefault(StoreLocation.PASSWORD, ""));
        try (Database source = Database.open(folders.dataDir)) {
          spec.commandLine().getOut().println(StoreCopy.copy(source, target).summary());
          spec.commandLine().getOut().flush();
        }
        return 0;
      } catch (StoreCopy.CopyRefused | IllegalArgumentException | IllegalStateException e) {
        err.println("refused: " + e.getMessage());
        err.flush();
        return REFUSED;
      }
    }
  }

  private static int run(CommandSpec spec, Folders folders, java.util.function.Supplier<StoreBackup.Result> action) {
    PrintWriter err = spec.commandLine().getErr();
    if (folders.databaseUrl != null && !folders.databaseUrl.isBlank()) {
      // A backup of the data folder's leftover SQLite file would look fine and hold none of the patients.
      err.println("refused: the store is PostgreSQL (" + StoreLocation.URL + " is set); back it up with "
          + "PostgreSQL's tools (pg_dump -Fc), store backup and restore work on an SQLite store");
      err.flush();
      return REFUSED;
    }
    try {
      StoreBackup.Result result = action.get();
      spec.commandLine().getOut().println(result.summary());
      spec.commandLine().getOut().flush();
      return 0;
    } catch (StoreBackup.BackupException | java.io.UncheckedIOException e) {
      err.println("refused: " + e.getMessage());
      err.flush();
      return REFUSED;
    }
  }
}
