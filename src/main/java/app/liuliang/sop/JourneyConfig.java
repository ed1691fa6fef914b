package app.liuliang.sop;

import app.liuliang.config.Problems;
import app.liuliang.config.YamlReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * The journeys file as currently in force: reloaded when its checksum changes; an invalid edit
 * keeps the previous version running (like a week plan).
 */
final class JourneyConfig implements Supplier<Journeys> {

  private final Path configDir;
  private final YamlReader yaml;
  private final ContentRules rules;
  private volatile Journeys current;
  private String checksum = "";

  JourneyConfig(Path configDir, YamlReader yaml, ContentRules rules, Journeys initial) {
    this.configDir = configDir;
    this.yaml = yaml;
    this.rules = rules;
    this.current = initial == null ? Journeys.none() : initial;
    this.checksum = fileChecksum();
  }

  @Override
  public Journeys get() {
    return current;
  }

  /** Re-reads a changed file; returns its problems (empty when unchanged or valid). */
  synchronized Problems refresh() {
    Problems problems = new Problems();
    String now = fileChecksum();
    if (now.equals(checksum)) {
      return problems;
    }
    checksum = now;
    Journeys loaded = Journeys.load(configDir, yaml, rules, problems);
    if (loaded != null) {
      current = loaded;
    }
    return problems;
  }

  private String fileChecksum() {
    Path file = configDir.resolve(Journeys.FILE);
    try {
      return Files.exists(file) ? LoadedPlan.checksum(Files.readString(file)) : "absent";
    } catch (IOException e) {
      return "unreadable";
    }
  }
}
