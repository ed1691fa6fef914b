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
  private Problems problems = new Problems();

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

  /**
   * The file as last read: its checksum, whether this call read it anew, and its problems (empty when
   * valid). An invalid file keeps being reported, unchanged, until it is fixed.
   */
  record Refresh(String checksum, boolean fresh, Problems problems) {
  }

  /** Re-reads the file if it changed. */
  synchronized Refresh refresh() {
    String now = fileChecksum();
    if (now.equals(checksum)) {
      return new Refresh(checksum, false, problems);
    }
    checksum = now;
    problems = new Problems();
    Journeys loaded = Journeys.load(configDir, yaml, rules, problems);
    if (loaded != null) {
      current = loaded;
    }
    return new Refresh(checksum, true, problems);
  }

  Path file() {
    return configDir.resolve(Journeys.FILE);
  }

  private String fileChecksum() {
    Path file = file();
    try {
      return Files.exists(file) ? LoadedPlan.checksum(Files.readString(file)) : "absent";
    } catch (IOException e) {
      return "unreadable";
    }
  }
}
