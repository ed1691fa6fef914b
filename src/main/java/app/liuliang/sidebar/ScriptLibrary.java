package app.liuliang.sidebar;

import app.liuliang.config.Problems;
import app.liuliang.config.SentTexts;
import app.liuliang.config.YamlDocument;
import app.liuliang.config.YamlReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code config/scripts.yaml}: the clinic's approved quick replies (话术) by category, which staff send
 * from the chat sidebar. Optional: without the file the sidebar offers the FAQ answers only.
 *
 * @param categories e.g. 预约 / 价格 / 术后护理, each with its named scripts
 */
public record ScriptLibrary(List<Category> categories) {

  public static final String FILE = "scripts.yaml";
  /** WeCom's limit for a text message. */
  static final int MAX_TEXT_BYTES = 2048;
  /** What a script may say and the sidebar fills in: the staff member's nickname and role, the patient's name. */
  static final Set<String> PLACEHOLDERS = Set.of("staff", "role", "name");

  /** A category of scripts; {@code name} is what the sidebar shows. */
  public record Category(String id, String name, List<Script> scripts) {
    public Category {
      scripts = scripts == null ? List.of() : List.copyOf(scripts);
    }
  }

  /** One quick reply: {@code title} is its name on the page, {@code text} what the patient receives. */
  public record Script(String id, String title, String text) {
  }

  public ScriptLibrary {
    categories = categories == null ? List.of() : List.copyOf(categories);
  }

  public static ScriptLibrary empty() {
    return new ScriptLibrary(List.of());
  }

  /** The file when present (else none); null when it has problems (they are in {@code problems}). */
  public static ScriptLibrary load(Path configDir, YamlReader yaml, Problems problems) {
    Path file = configDir.resolve(FILE);
    if (!Files.exists(file)) {
      return empty();
    }
    return yaml.load(file, ScriptLibrary.class, problems, (doc, found) -> doc.value().check(doc, found));
  }

  private void check(YamlDocument<ScriptLibrary> doc, Problems problems) {
    Set<String> categoryIds = new HashSet<>();
    Set<String> scriptIds = new HashSet<>();
    for (int c = 0; c < categories.size(); c++) {
      Category category = categories.get(c);
      String at = "/categories/" + c;
      if (blank(category.id())) {
        problems.add(doc.problem(at, "category without an id", "e.g. id: booking"));
      } else if (!categoryIds.add(category.id())) {
        problems.add(doc.problem(at + "/id", "duplicate category id \"" + category.id() + "\"", "each id appears once"));
      }
      if (blank(category.name())) {
        problems.add(doc.problem(at, "category \"" + category.id() + "\" has no name", "the sidebar shows it, e.g. name: 预约"));
      }
      for (int s = 0; s < category.scripts().size(); s++) {
        checkScript(doc, at + "/scripts/" + s, category.scripts().get(s), scriptIds, problems);
      }
    }
  }

  private static void checkScript(YamlDocument<ScriptLibrary> doc, String at, Script script, Set<String> ids,
      Problems problems) {
    if (blank(script.id())) {
      problems.add(doc.problem(at, "script without an id", "e.g. id: confirm-booking"));
    } else if (!ids.add(script.id())) {
      problems.add(doc.problem(at + "/id", "duplicate script id \"" + script.id() + "\"", "ids are unique across categories"));
    }
    if (blank(script.title())) {
      problems.add(doc.problem(at, "script \"" + script.id() + "\" has no title", "the sidebar lists it by title"));
    }
    if (blank(script.text())) {
      problems.add(doc.problem(at, "script \"" + script.id() + "\" has no text", "the approved text the patient receives"));
      return;
    }
    if (script.text().getBytes(StandardCharsets.UTF_8).length > MAX_TEXT_BYTES) {
      problems.add(doc.problem(at + "/text", "text is longer than WeCom's 2048 bytes", "shorten it"));
    }
    SentTexts.check(doc, at + "/text", script.text(), PLACEHOLDERS,
        "scripts can use {staff}, {role} (the sender's nickname and role) and {name} (the patient's)", problems);
  }

  private static boolean blank(String value) {
    return value == null || value.isBlank();
  }
}
