package app.liuliang.cli;

import app.liuliang.account.Accounts;
import app.liuliang.app.Json;
import app.liuliang.app.Main;
import app.liuliang.app.Settings;
import app.liuliang.config.Problems;
import app.liuliang.config.YamlReader;
import app.liuliang.contact.TagCatalog;
import app.liuliang.sop.SopFeature;
import app.liuliang.store.Database;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.temporal.IsoFields;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code liuliang sop validate [FILE]} and {@code liuliang sop show [WEEK]}. */
@Command(name = "sop", mixinStandardHelpOptions = true, description = "Weekly SOP plans: validate and show.",
    subcommands = {SopCommand.Validate.class, SopCommand.Show.class})
public final class SopCommand {

  /** Checks one plan file, or every SOP file (week plans, campaigns, sop.yaml, journeys.yaml). */
  @Command(name = "validate", mixinStandardHelpOptions = true,
      description = "Check a week plan or campaign file (default: all). Exit 0 when valid, 2 with the problems.")
  static final class Validate implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "FILE", description = "e.g. config/sop/2026-W48.yaml")
    Path file;

    @Override
    public Integer call() {
      Problems problems = new Problems();
      Settings settings = Settings.load(System.getenv(), problems);
      Path configDir = settings.configDir();
      YamlReader yaml = new YamlReader();
      Accounts accounts = Accounts.load(configDir, yaml, problems);
      TagCatalog tags = TagCatalog.load(configDir, yaml, problems);
      SopFeature.SopConfig config = SopFeature.loadConfig(configDir, yaml, accounts, tags, problems);
      app.liuliang.group.GroupCatalog groups = app.liuliang.group.GroupCatalog.load(configDir, yaml, accounts, tags, problems);
      List<Path> files = file != null ? List.of(file) : SopFeature.planFiles(configDir);
      if (config != null) {
        SopFeature.validatePlans(configDir, files, yaml, accounts, tags, groups == null ? null : groups.names(),
            config.settings(), settings.app().timezone(), problems);
      }
      if (problems.isEmpty()) {
        spec.commandLine().getOut().println("SOP OK: " + files.size() + " plan file(s)");
        return 0;
      }
      spec.commandLine().getErr().print(problems);
      spec.commandLine().getErr().flush();
      return Main.CONFIG_ERROR;
    }
  }

  /** Prints a week's items with their status from the store. */
  @Command(name = "show", mixinStandardHelpOptions = true,
      description = "Show a week's items (day, time, kind, audience, text preview, status). Default: this week.")
  static final class Show implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "WEEK", description = "e.g. 2026-W48 or campaign:winter-whitening")
    String week;

    @Override
    public Integer call() {
      Problems problems = new Problems();
      Settings settings = Settings.load(System.getenv(), problems);
      ZonedDateTime now = Instant.now().atZone(settings.app().timezone());
      String which = week != null ? week
          : String.format("%d-W%02d", now.get(IsoFields.WEEK_BASED_YEAR), now.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
      try (Database database = Database.open(settings.dataDir())) {
        spec.commandLine().getOut().println("SOP " + which);
        spec.commandLine().getOut().print(SopFeature.showWeek(database, Json.mapper(), which, settings.app().timezone()));
        spec.commandLine().getOut().flush();
      }
      return 0;
    }
  }
}
