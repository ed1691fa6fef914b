package app.liuliang.sop;

import app.liuliang.config.ConfigProblem;
import app.liuliang.config.Problems;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The plan files on disk against the store: {@code config/sop/*.yaml} and
 * {@code config/campaigns/*.yaml}. A changed valid file replaces its plan's items in one
 * transaction; an invalid one is recorded (sop_plans.status = invalid, errors) and the running plan
 * is kept; a deleted file removes its not-yet-sent items.
 */
final class SopPlans {

  /**
   * What one file did on this sync. {@code checksum} identifies the content; {@code fresh} is false for
   * an invalid file reported again unchanged (already logged and told to the admins).
   */
  record Change(String key, Path file, String checksum, boolean fresh, boolean valid, SopRepository.Diff diff,
      List<ConfigProblem> problems) {
  }

  private final Path configDir;
  private final WeekPlanValidator weeks;
  private final CampaignPlanner campaigns;
  private final SopRepository repository;
  private final Clock clock;

  SopPlans(Path configDir, WeekPlanValidator weeks, CampaignPlanner campaigns, SopRepository repository, Clock clock) {
    this.configDir = configDir;
    this.weeks = weeks;
    this.campaigns = campaigns;
    this.repository = repository;
    this.clock = clock;
  }

  Path weekDir() {
    return configDir.resolve("sop");
  }

  Path campaignDir() {
    return configDir.resolve("campaigns");
  }

  /** The plan files: week plans under config/sop/, then campaigns under config/campaigns/, each in name order. */
  static List<Path> files(Path configDir) {
    List<Path> files = new ArrayList<>(yamlFiles(configDir.resolve("sop")));
    files.addAll(yamlFiles(configDir.resolve("campaigns")));
    return files;
  }

  /**
   * Checks every plan file whose checksum changed, and reports again every file still invalid on disk
   * (its running plan is the previous one until it is fixed); returns what changed.
   */
  List<Change> sync() {
    List<Change> changes = new ArrayList<>();
    List<String> present = new ArrayList<>();
    for (Path file : files(configDir)) {
      boolean campaign = file.getParent().equals(campaignDir());
      String key = campaign ? CampaignPlanner.key(file) : stem(file);
      present.add(key);
      String text;
      try {
        text = Files.readString(file);
      } catch (IOException e) {
        continue;
      }
      String checksum = LoadedPlan.checksum(text);
      boolean unchanged = repository.checksum(key).filter(checksum::equals).isPresent();
      if (unchanged && !repository.invalid(key)) {
        continue;
      }
      Problems problems = new Problems();
      LoadedPlan plan = campaign ? campaigns.validate(file, problems) : weeks.validate(file, problems);
      if (plan != null && !plan.key().equals(key)) {
        problems.add(file, 1, 1, "plan key " + plan.key() + " does not match the file name", "");
        plan = null;
      }
      if (plan != null) {
        changes.add(new Change(key, file, checksum, true, true, repository.replaceItems(plan, clock.millis()), List.of()));
      } else {
        if (!unchanged) {
          repository.jdbi().useHandle(h -> repository.savePlan(h, key, file.toString(), checksum, "invalid",
              problems.toString(), clock.millis()));
        }
        changes.add(new Change(key, file, checksum, !unchanged, false, null, problems.sorted()));
      }
    }
    for (Map.Entry<String, String> stored : repository.planFiles().entrySet()) {
      Path file = Path.of(stored.getValue());
      boolean ours = file.getParent() != null
          && (file.getParent().equals(weekDir()) || file.getParent().equals(campaignDir()));
      if (ours && !present.contains(stored.getKey()) && !Files.exists(file)
          && repository.checksum(stored.getKey()).filter("deleted"::equals).isEmpty()) {
        LoadedPlan empty = new LoadedPlan(stored.getKey(), file, "deleted", List.of());
        changes.add(new Change(stored.getKey(), file, "deleted", true, true, repository.replaceItems(empty, clock.millis()),
            List.of()));
      }
    }
    return changes;
  }

  /** Validates one file (for {@code liuliang sop validate}); null with problems when invalid. */
  LoadedPlan validate(Path file, Problems problems) {
    boolean campaign = file.toAbsolutePath().getParent().getFileName().toString().equals("campaigns");
    return campaign ? campaigns.validate(file, problems) : weeks.validate(file, problems);
  }

  static String stem(Path file) {
    return file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
  }

  private static List<Path> yamlFiles(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> list = Files.list(dir)) {
      return list.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }
}
