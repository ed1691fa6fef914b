package app.liuliang.cli;

import app.liuliang.app.Json;
import app.liuliang.contact.TagCatalog;
import app.liuliang.privacy.PatientEraser;
import app.liuliang.store.Database;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code liuliang contacts ...}: offline reads of the contact store. */
@Command(name = "contacts", mixinStandardHelpOptions = true, description = "Contacts in the store.",
    subcommands = {ContactsCommand.Export.class, ContactsCommand.Forget.class})
public final class ContactsCommand {

  /** {@code liuliang contacts export --layer intent --format csv}. */
  @Command(name = "export", mixinStandardHelpOptions = true,
      description = "Write contacts as CSV (UTF-8 with BOM, opens in Excel) or JSON (columns: external_userid, name, "
          + "channel, layer, tags, status, added_at, referral_code, store, own_doctor, opted_out).")
  static final class Export implements Callable<Integer> {

    enum Format { csv, json }

    @Spec
    CommandSpec spec;

    @Mixin
    StoreOption store;

    @Option(names = "--layer", description = "Only this layer: ${COMPLETION-CANDIDATES}.",
        completionCandidates = Layers.class)
    String layer;

    @Option(names = "--status", description = "Only this status: active, lost or removed (default: all).")
    String status;

    @Option(names = "--format", defaultValue = "csv", description = "csv or json (default ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = {"-o", "--output"}, description = "Write to this file instead of standard output.")
    Path output;

    @Option(names = "--zone", defaultValue = "Asia/Shanghai", description = "Time zone of added_at (default ${DEFAULT-VALUE}).")
    ZoneId zone;

    @Override
    public Integer call() throws IOException {
      if (layer != null && !TagCatalog.LAYERS.contains(layer)) {
        throw new ParameterException(spec.commandLine(), "unknown layer \"" + layer + "\"; layers: "
            + String.join(", ", TagCatalog.LAYERS));
      }
      if (status != null && !java.util.List.of("active", "lost", "removed").contains(status)) {
        throw new ParameterException(spec.commandLine(), "unknown status \"" + status + "\"; statuses: active, lost, removed");
      }
      PrintWriter err = spec.commandLine().getErr();
      try (Database database = store.open();
           OutputStream out = output == null ? new NonClosing(System.out) : Files.newOutputStream(output)) {
        ContactExport export = new ContactExport(database.jdbi(), zone, doctorIds(err));
        long total = export.count(layer, status);
        Progress progress = new Progress(err, "exporting contacts", total);
        long written = format == Format.csv
            ? export.csv(layer, status, out, progress::step)
            : export.json(layer, status, out, progress::step);
        progress.finish();
        if (output != null) {
          err.printf("%d contacts written to %s%n", written, output);
        }
        err.flush();
      }
      return 0;
    }
  }

  /**
   * {@code liuliang contacts forget <external_userid>}: erasure on request, also while the server runs
   * (the store is shared; the server's sender skips what is cancelled here).
   */
  @Command(name = "forget", mixinStandardHelpOptions = true,
      description = "Erase a patient from every table (profile, messages, hand-offs, tags, layer history, referrals), "
          + "cancel their pending sends, keep one anonymous audit row. Cannot be undone.")
  static final class Forget implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    StoreOption store;

    @picocli.CommandLine.Parameters(index = "0", paramLabel = "EXTERNAL_USERID", description = "The patient's external_userid.")
    String externalUserId;

    @Option(names = "--yes", description = "Do not ask to type the id again (for scripts).")
    boolean yes;

    @Override
    public Integer call() throws IOException {
      PrintWriter err = spec.commandLine().getErr();
      java.io.Console console = System.console();
      if (!yes && console != null) {
        String again = console.readLine("Type %s again to erase this patient for good: ", externalUserId);
        if (again == null || !again.trim().equals(externalUserId)) {
          err.println("not the same id; nothing erased");
          err.flush();
          return 1;
        }
      }
      try (Database database = store.open()) {
        PatientEraser.Outcome outcome = new PatientEraser(database,
            Json.mapper(), Clock.systemUTC())
            .forget(externalUserId, "cli:" + System.getProperty("user.name", "unknown"));
        if (!outcome.known()) {
          err.println("no data about " + externalUserId + " in the store; audit row " + outcome.auditId() + " written");
        } else {
          spec.commandLine().getOut().printf("erased: audit row %d, %s%n", outcome.auditId(), outcome.rows());
          spec.commandLine().getOut().flush();
        }
        err.flush();
      }
      return 0;
    }
  }

  /** The doctors of accounts.yaml (LIULIANG_CONFIG_DIR), for own_doctor; none, with a warning, when it does not load. */
  private static java.util.Set<String> doctorIds(PrintWriter err) {
    app.liuliang.config.Problems problems = new app.liuliang.config.Problems();
    java.nio.file.Path configDir = app.liuliang.app.Settings.load(System.getenv(), problems).configDir();
    app.liuliang.account.Accounts accounts = app.liuliang.account.Accounts.load(configDir,
        new app.liuliang.config.YamlReader(), problems);
    if (accounts == null) {
      err.println("warning: " + configDir.resolve("accounts.yaml") + " did not load; own_doctor stays empty");
      return java.util.Set.of();
    }
    return accounts.doctors().stream().map(app.liuliang.account.Account::id)
        .collect(java.util.stream.Collectors.toSet());
  }

  /** The layer names, for help and shell completion. */
  static final class Layers extends java.util.ArrayList<String> {
    Layers() {
      super(TagCatalog.LAYERS);
    }
  }

  /** Standard output stays open after the export is done with it. */
  private static final class NonClosing extends java.io.FilterOutputStream {
    NonClosing(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }
}
