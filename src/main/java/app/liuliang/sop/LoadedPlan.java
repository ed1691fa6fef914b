package app.liuliang.sop;

import app.liuliang.config.Problems;
import app.liuliang.config.YamlDocument;
import app.liuliang.config.YamlReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.apache.commons.codec.digest.DigestUtils;

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

  /**
   * Reads and checks one plan file (a week plan or a campaign): the plan, or null with the reasons in
   * {@code problems}.
   */
  static <T> LoadedPlan read(YamlReader yaml, Path file, Class<T> type, Function<T, String> key,
      BiFunction<YamlDocument<T>, Problems, List<SopItem>> check, Problems problems) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      problems.add(file, 1, 1, "cannot read file: " + e.getMessage(), "");
      return null;
    }
    YamlDocument<T> doc = yaml.read(file, text, type, problems);
    if (!doc.isValid()) {
      return null;
    }
    Problems found = new Problems();
    List<SopItem> items = check.apply(doc, found);
    problems.addAll(found);
    return found.isEmpty() ? new LoadedPlan(key.apply(doc.value()), file, checksum(text), items) : null;
  }

  static String checksum(String text) {
    return DigestUtils.sha256Hex(text);
  }
}
