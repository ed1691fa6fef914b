package app.liuliang.config;

import java.nio.file.Path;
import java.util.Comparator;

/** One thing wrong in a config file, where it is, and how to fix it ({@code hint} may be empty). */
public record ConfigProblem(Path file, int line, int column, String message, String hint)
    implements Comparable<ConfigProblem> {

  private static final Comparator<ConfigProblem> ORDER = Comparator
      .comparing((ConfigProblem p) -> p.file.toString())
      .thenComparingInt(ConfigProblem::line)
      .thenComparingInt(ConfigProblem::column)
      .thenComparing(ConfigProblem::message);

  public ConfigProblem {
    hint = hint == null ? "" : hint;
  }

  @Override
  public int compareTo(ConfigProblem other) {
    return ORDER.compare(this, other);
  }

  /** {@code config/app.yaml:3:1: unknown key "x"} and, on the next line, the indented hint. */
  @Override
  public String toString() {
    String where = file + ":" + Math.max(line, 1) + ":" + Math.max(column, 1) + ": " + message;
    return hint.isEmpty() ? where : where + "\n  " + hint.replace("\n", "\n  ");
  }
}
