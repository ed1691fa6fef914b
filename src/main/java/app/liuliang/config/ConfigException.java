package app.liuliang.config;

import java.util.List;
import java.util.stream.Collectors;

/** Config that must not be used: carries every problem, already in file:line:column order. */
public final class ConfigException extends RuntimeException {

  private final List<ConfigProblem> problems;

  public ConfigException(List<ConfigProblem> problems) {
    super(problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("\n")));
    this.problems = List.copyOf(problems);
  }

  public List<ConfigProblem> problems() {
    return problems;
  }
}
