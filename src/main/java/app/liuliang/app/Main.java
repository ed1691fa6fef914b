package app.liuliang.app;

import app.liuliang.cli.ChannelsCommand;
import app.liuliang.cli.ContactsCommand;
import app.liuliang.cli.OutboxCommand;
import app.liuliang.cli.ServeCommand;
import app.liuliang.cli.SimulateCommand;
import app.liuliang.cli.SopCommand;
import app.liuliang.cli.StoreCommand;
import app.liuliang.cli.ValidateCommand;
import app.liuliang.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar target/liuliang.jar <command>}. */
@Command(name = "liuliang", mixinStandardHelpOptions = true, version = "liuliang 0.1.0",
    description = "WeCom bot and webhook server for clinics' private-domain operations.",
    subcommands = {ServeCommand.class, ValidateCommand.class, SimulateCommand.class, SopCommand.class,
        ContactsCommand.class, OutboxCommand.class, ChannelsCommand.class, StoreCommand.class,
        app.liuliang.cli.StaffCommand.class})
public final class Main {

  /** Exit code for invalid configuration, as the operator's tooling expects. */
  public static final int CONFIG_ERROR = 2;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      if (e instanceof ConfigException config) {
        commandLine.getErr().println(config.getMessage());
        return CONFIG_ERROR;
      }
      throw e;
    });
    return cli;
  }
}
