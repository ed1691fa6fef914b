package app.liuliang.cli;

import app.liuliang.app.Json;
import app.liuliang.store.Database;
import app.liuliang.wecom.Outbox;
import app.liuliang.wecom.OutboxItem;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code liuliang outbox ...}: the outbound actions in the store. */
@Command(name = "outbox", mixinStandardHelpOptions = true, description = "Outbound WeCom actions in the store.",
    subcommands = OutboxCommand.Retry.class)
public final class OutboxCommand {

  /**
   * {@code liuliang outbox retry --id 42 | --all-failed}: puts ended actions back in the queue; a
   * running server sends them within a second. {@code --all-failed} takes failed and expired ones
   * only: an uncertain action may already have reached the patient, so it is retried one by one.
   */
  @Command(name = "retry", mixinStandardHelpOptions = true,
      description = "Queue failed, expired or uncertain actions again (a running server sends them).")
  static final class Retry implements Callable<Integer> {

    static final List<String> BULK = List.of("failed", "expired");

    @Spec
    CommandSpec spec;

    @Mixin
    StoreOption store;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Which which;

    static final class Which {
      @Option(names = "--id", description = "The outbox id (see the console's 发件箱 page).")
      Long id;

      @Option(names = "--all-failed", description = "Every failed and expired action (not uncertain ones).")
      boolean allFailed;
    }

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      try (Database database = store.open()) {
        Outbox outbox = new Outbox(database, Json.mapper(), Clock.systemUTC());
        if (which.id != null) {
          if (outbox.retry(which.id)) {
            out.printf("outbox %d queued again%n", which.id);
            return 0;
          }
          String status = outbox.repository().find(which.id).map(OutboxItem::status).orElse("not found");
          err.printf("outbox %d not retried: status is %s (only failed, expired and uncertain can be)%n", which.id, status);
          return 1;
        }
        List<OutboxItem> ended = outbox.repository().inStatus(BULK, Integer.MAX_VALUE);
        Progress progress = new Progress(err, "retrying", ended.size());
        int requeued = 0;
        for (OutboxItem item : ended) {
          if (outbox.retry(item.id())) {
            requeued++;
          }
          progress.step();
        }
        progress.finish();
        long uncertain = outbox.repository().countByStatus().getOrDefault("uncertain", 0L);
        out.printf("%d of %d failed or expired actions queued again%n", requeued, ended.size());
        if (uncertain > 0) {
          out.printf("%d uncertain actions left alone: check WeCom, then retry each with --id%n", uncertain);
        }
        return 0;
      }
    }
  }
}
