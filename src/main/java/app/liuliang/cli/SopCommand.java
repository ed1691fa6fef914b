package app.liuliang.cli;

import app.liuliang.account.Accounts;
import app.liuliang.app.Json;
import app.liuliang.app.Main;
import app.liuliang.app.Settings;
import app.liuliang.config.Problems;
import app.liuliang.config.YamlReader;
import app.liuliang.contact.TagCatalog;
import app.liuliang.sop.SopFeature;
import app.liuliang.sop.WeekTemplate;
import app.liuliang.store.Database;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code liuliang sop validate [FILE]}, {@code liuliang sop show [WEEK]} and {@code liuliang sop new [WEEK]}. */
@Command(name = "sop", mixinStandardHelpOptions = true, description = "Weekly SOP plans: validate, show and start a new week.",
    subcommands = {SopCommand.Validate.class, SopCommand.Show.class, SopCommand.New.class})
public final class SopCommand {

  /**
   * Writes {@code config/sop/<WEEK>.yaml} from the template with the week filled in, then validates
   * it; an existing plan is never overwritten.
   */
  @Command(name = "new", mixinStandardHelpOptions = true,
      description = "Write a week's plan file from config/sop/templates/week.yaml (default: next week), then validate it.")
  static final class New implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "WEEK", description = "e.g. 2026-W49 (default: next week in the clinic's time zone)")
    String week;

    @picocli.CommandLine.Option(names = "--config-dir", description = "The config folder (default: LIULIANG_CONFIG_DIR or ./config).")
    Path configDir;

    @Override
    public Integer call() throws java.io.IOException {
      Problems problems = new Problems();
      Settings settings = Settings.load(System.getenv(), problems);
      Path config = configDir != null ? configDir : settings.configDir();
      java.time.ZoneId zone = settings.app().timezone();
      java.time.LocalDate monday;
      if (week == null) {
        monday = java.time.LocalDate.now(zone).plusWeeks(1).with(java.time.DayOfWeek.MONDAY);
      } else {
        monday = WeekTemplate.monday(week).orElseThrow(() -> new picocli.CommandLine.ParameterException(
            spec.commandLine(), "WEEK looks like 2026-W49, was \"" + week + "\""));
      }
      String name = WeekTemplate.name(monday);
      Path template = config.resolve(WeekTemplate.PATH);
      Path target = config.resolve("sop").resolve(name + ".yaml");
      if (java.nio.file.Files.exists(target)) {
        spec.commandLine().getErr().println(target + " already exists; edit it, or remove it first");
        return 1;
      }
      String text = WeekTemplate.fill(java.nio.file.Files.readString(template), monday);
      java.nio.file.Files.writeString(target, text);
      spec.commandLine().getOut().println("wrote " + target + " (" + WeekTemplate.chinese(monday) + " — "
          + WeekTemplate.chinese(monday.plusDays(6)) + ")");
      YamlReader yaml = new YamlReader();
      app.liuliang.compliance.AdvertisingWords.install(config, yaml, problems);
      Accounts accounts = Accounts.load(config, yaml, problems);
      TagCatalog tags = TagCatalog.load(config, yaml, problems);
      SopFeature.SopConfig sop = SopFeature.loadConfig(config, yaml, accounts, tags, problems);
      if (sop != null) {
        SopFeature.validatePlans(config, List.of(target), yaml, accounts, tags, sop.settings(), zone, problems);
      }
      if (problems.isEmpty()) {
        spec.commandLine().getOut().println("SOP OK: edit the texts, then liuliang sop show " + name);
        return 0;
      }
      spec.commandLine().getErr().print(problems);
      spec.commandLine().getErr().flush();
      return Main.CONFIG_ERROR;
    }
  }

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
      app.liuliang.compliance.AdvertisingWords.install(configDir, yaml, problems);
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
      String which = week != null ? week : WeekTemplate.name(Instant.now().atZone(settings.app().timezone()));
      try (Database database = Database.open(settings.store())) {
        spec.commandLine().getOut().println("SOP " + which);
        spec.commandLine().getOut().print(SopFeature.showWeek(database, Json.mapper(), which, settings.app().timezone()));
        spec.commandLine().getOut().flush();
      }
      return 0;
    }
  }
}
