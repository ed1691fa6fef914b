package app.liuliang.cli;

import app.liuliang.store.Database;
import app.liuliang.store.StoreKind;
import app.liuliang.store.StoreLocation;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code --data-dir}: the store an offline command reads, the server's own by default. */
final class StoreOption {

  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(names = "--data-dir", defaultValue = "${env:LIULIANG_DATA_DIR:-./data}",
      description = "Folder of liuliang.db (default: $LIULIANG_DATA_DIR or ./data).")
  Path dataDir;

  /**
   * Opens the existing store: PostgreSQL when {@code LIULIANG_DATABASE_URL} names one, else the SQLite
   * file in the data folder, refusing to create an empty one where the user expected theirs.
   */
  Database open() {
    StoreLocation location = StoreLocation.fromEnvironment(System.getenv(), dataDir);
    if (location.kind() == StoreKind.SQLITE) {
      existing();
    }
    return Database.open(location);
  }

  /** The data folder, once it is known to hold a store. */
  Path existing() {
    if (!Files.exists(dataDir.resolve("liuliang.db"))) {
      throw new ParameterException(spec.commandLine(), "no store at " + dataDir.resolve("liuliang.db")
          + " (set LIULIANG_DATA_DIR or --data-dir to the server's data folder)");
    }
    return dataDir;
  }
}
