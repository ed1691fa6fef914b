package app.liuliang.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Collects problems across files so the operator sees all of them in one run. */
public final class Problems {

  private final List<ConfigProblem> found = new ArrayList<>();

  public void add(ConfigProblem problem) {
    found.add(problem);
  }

  public void add(Path file, int line, int column, String message, String hint) {
    add(new ConfigProblem(file, line, column, message, hint));
  }

  public void addAll(Problems other) {
    found.addAll(other.found);
  }

  public boolean isEmpty() {
    return found.isEmpty();
  }

  public List<ConfigProblem> sorted() {
    List<ConfigProblem> copy = new ArrayList<>(found);
    Collections.sort(copy);
    return copy;
  }

  /** Throws {@link ConfigException} when anything was found. */
  public void throwIfAny() {
    if (!found.isEmpty()) {
      throw new ConfigException(sorted());
    }
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    for (ConfigProblem p : sorted()) {
      out.append(p).append('\n');
    }
    return out.toString();
  }
}
