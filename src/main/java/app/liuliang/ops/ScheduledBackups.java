package app.liuliang.ops;

import app.liuliang.app.AppConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daily backup of {@code backup.at}: {@code liuliang-<yyyyMMdd-HHmmss>.db} in {@code backup.folder}
 * (clinic time, so names sort by age), verified, then all but the newest {@code backup.keep} deleted.
 * Only files of that name are rotated: an operator's own copies in the folder are left alone.
 */
public final class ScheduledBackups {

  private static final Logger log = LoggerFactory.getLogger(ScheduledBackups.class);
  static final String PREFIX = "liuliang-";
  static final String SUFFIX = ".db";
  private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

  private final Path dataDir;
  private final Path configDir;
  private final Path folder;
  private final int keep;
  private final Clock clock;
  private final ZoneId zone;
  private final Counter ok;
  private final Counter failed;

  public ScheduledBackups(Path dataDir, Path configDir, AppConfig.Backup config, Clock clock, ZoneId zone,
      MeterRegistry meters) {
    this.dataDir = dataDir;
    this.configDir = configDir;
    // A relative folder sits next to the data folder (./data -> ./backups), wherever the server was started.
    Path configured = Path.of(config.folder());
    Path parent = dataDir.toAbsolutePath().normalize().getParent();
    this.folder = configured.isAbsolute() || parent == null ? configured : parent.resolve(configured).normalize();
    this.keep = config.keep();
    this.clock = clock;
    this.zone = zone;
    this.ok = Counter.builder("liuliang.backups").tag("outcome", "ok").register(meters);
    this.failed = Counter.builder("liuliang.backups").tag("outcome", "failed").register(meters);
    // Read from the folder, so a restart (or a manual `store backup` into it) keeps the age right.
    Gauge.builder("liuliang.backup.last.success.timestamp", this,
        b -> b.newest().map(ScheduledBackups::modifiedSeconds).orElse(0.0)).baseUnit("seconds")
        .description("when the newest scheduled backup was written (epoch seconds; 0 = none yet)").register(meters);
  }

  /** Takes one backup now and rotates; false (logged, counted) when it failed. */
  public boolean run() {
    Path out = folder.resolve(PREFIX + NAME.format(clock.instant().atZone(zone)) + SUFFIX);
    try {
      StoreBackup.Result result = StoreBackup.backup(dataDir, configDir, out);
      ok.increment();
      log.info("backup written: {}", result.summary());
      prune();
      return true;
    } catch (RuntimeException e) {
      failed.increment();
      log.error("scheduled backup to {} failed: {}", out, e.getMessage());
      return false;
    }
  }

  /** The newest backup of this schedule, if any. */
  public Optional<Path> newest() {
    List<Path> all = backups();
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
  }

  /** This schedule's backups, oldest first. */
  List<Path> backups() {
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(f -> {
        String name = f.getFileName().toString();
        return name.startsWith(PREFIX) && name.endsWith(SUFFIX);
      }).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void prune() {
    List<Path> all = backups();
    for (Path old : all.subList(0, Math.max(0, all.size() - keep))) {
      try {
        Files.deleteIfExists(old);
        log.info("old backup deleted: {} (keeping {})", old, keep);
      } catch (IOException e) {
        log.warn("cannot delete old backup {}: {}", old, e.getMessage());
      }
    }
  }

  private static double modifiedSeconds(Path file) {
    try {
      return Files.getLastModifiedTime(file).toMillis() / 1000.0;
    } catch (IOException e) {
      return 0;
    }
  }
}
