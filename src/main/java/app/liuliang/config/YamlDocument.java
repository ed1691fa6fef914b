package app.liuliang.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonPointer;
import java.nio.file.Path;
import java.util.Map;

/**
 * A YAML file bound to {@code T}, with the position of every node, so that rule checks written
 * against the bound value can still point the operator at a line and column.
 *
 * @param value  null when binding failed (the problems say why)
 * @param source the file's text, to point at a word inside a value
 * @param texts  the check every text the bot sends must pass (see {@link SentTexts})
 */
public record YamlDocument<T>(Path file, T value, Map<String, JsonLocation> locations, String source, TextCheck texts) {

  public YamlDocument {
    source = source == null ? "" : source;
    texts = texts == null ? TextCheck.NONE : texts;
  }

  /**
   * A problem at a JSON pointer such as {@code /moments/2/senders}; a pointer with no node of its
   * own (a missing key) falls back to its nearest parent that has one.
   */
  public ConfigProblem problem(String pointer, String message, String hint) {
    JsonPointer at = JsonPointer.compile(pointer.isEmpty() || pointer.startsWith("/") ? pointer : "/" + pointer);
    while (at != null) {
      JsonLocation location = locations.get(at.toString());
      if (location != null) {
        return new ConfigProblem(file, location.getLineNr(), location.getColumnNr(), message, hint);
      }
      at = at.head();
    }
    return new ConfigProblem(file, 1, 1, message, hint);
  }

  /**
   * As {@link #problem}, moved to the line and column where {@code token} first appears in the file at
   * or after that node (a word inside a long text, rather than its key).
   */
  public ConfigProblem problemAt(String pointer, String token, String message, String hint) {
    ConfigProblem at = problem(pointer, message, hint);
    String[] lines = source.split("\n", -1);
    for (int line = Math.max(at.line(), 1); line <= lines.length; line++) {
      int column = lines[line - 1].indexOf(token);
      if (column >= 0) {
        return new ConfigProblem(file, line, column + 1, message, hint);
      }
    }
    return at;
  }

  public boolean isValid() {
    return value != null;
  }
}
