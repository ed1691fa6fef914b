package app.liuliang.cli;

import app.liuliang.app.Main;
import app.liuliang.app.Settings;
import app.liuliang.app.Wiring;
import app.liuliang.config.Problems;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Checks every config file; prints problems as {@code file:line:column: message}. */
@Command(name = "validate", mixinStandardHelpOptions = true,
    description = "Check all configuration. Exit 0 when valid, 2 with the problems listed.")
public final class ValidateCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    Problems problems = new Problems();
    Settings settings = Settings.load(System.getenv(), problems);
    problems.addAll(Wiring.validate(settings));
    // Warnings (advertising words unless compliance.yaml is strict) are shown but do not fail the run.
    spec.commandLine().getErr().print(problems.warningsText());
    if (problems.isEmpty()) {
      spec.commandLine().getOut().println("config OK: " + settings.configDir());
      return 0;
    }
    spec.commandLine().getErr().print(problems);
    spec.commandLine().getErr().flush();
    return Main.CONFIG_ERROR;
  }
}
