package app.liuliang.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonPointer;
import java.nio.file.Path;
import java.util.Map;

/**
 * A YAML file bound to {@code T}, with the position of every node, so that rule checks written
 * against the bound value can still point the operator at a line and column.
 *
 * @param value null when binding failed (the problems say why)
 */
public record YamlDocument<T>(Path file, T value, Map<String, JsonLocation> locations) {

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

  public boolean isValid() {
    return value != null;
  }
}
