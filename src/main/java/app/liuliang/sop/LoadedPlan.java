package app.liuliang.sop;

import java.nio.file.Path;
import java.util.List;

/**
 * A validated plan file, ready to store and schedule.
 *
 * @param key      {@code sop_plans.week}: the ISO week, or {@code campaign:<id>}
 * @param checksum sha-256 of the file, to notice changes
 */
record LoadedPlan(String key, Path file, String checksum, List<SopItem> items) {

  LoadedPlan {
    items = List.copyOf(items);
  }
}
