package app.liuliang.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Collects problems across files so the operator sees all of them in one run. */
public final class Problems {

  private final List<ConfigProblem> found = new ArrayList<>();
  private final List<ConfigProblem> warnings = new ArrayList<>();

  public void add(ConfigProblem problem) {
    found.add(problem);
  }

  public void add(Path file, int line, int column, String message, String hint) {
    add(new ConfigProblem(file, line, column, message, hint));
  }

  /** Something the operator should see that does not stop the file loading (it is not a problem). */
  public void warn(ConfigProblem warning) {
    warnings.add(warning);
  }

  public void addAll(Problems other) {
    found.addAll(other.found);
    warnings.addAll(other.warnings);
  }

  /** No problems; warnings may still be there. */
  public boolean isEmpty() {
    return found.isEmpty();
  }

  public List<ConfigProblem> warnings() {
    List<ConfigProblem> copy = new ArrayList<>(warnings);
    Collections.sort(copy);
    return copy;
  }

  /** The warnings, one {@code file:line:column: warning: …} entry each (with its hint), or "". */
  public String warningsText() {
    StringBuilder out = new StringBuilder();
    for (ConfigProblem w : warnings()) {
      out.append(new ConfigProblem(w.file(), w.line(), w.column(), "warning: " + w.message(), w.hint())).append('\n');
    }
    return out.toString();
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
