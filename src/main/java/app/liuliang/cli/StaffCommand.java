package app.liuliang.cli;

import app.liuliang.app.OfflineContext;
import app.liuliang.contact.TagCatalog;
import app.liuliang.transfer.StaffTransfers;
import app.liuliang.transfer.TransferFeature;
import app.liuliang.transfer.TransferRequest;
import app.liuliang.transfer.TransferSettings;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code liuliang staff ...}: staff members' patients. */
@Command(name = "staff", mixinStandardHelpOptions = true, description = "Staff members' patients (继承).",
    subcommands = {StaffCommand.Transfer.class})
public final class StaffCommand {

  /**
   * {@code liuliang staff transfer --from U --to V [--layer L] [--tag T]}: records the transfer in the store and
   * submits it to WeCom now; the server follows the results until final and moves Liuliang's own records.
   */
  @Command(name = "transfer", mixinStandardHelpOptions = true,
      description = "Move a member's patients (and, without --layer/--tag, their customer groups) to a colleague. "
          + "Staff still at the clinic: on-job transfer; staff who left: their unassigned customers.")
  static final class Transfer implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    StoreOption store;

    @Option(names = "--from", required = true, paramLabel = "USERID", description = "The member whose patients move")
    String from;

    @Option(names = "--to", required = true, paramLabel = "USERID", description = "The colleague who takes them over")
    String to;

    @Option(names = "--layer", paramLabel = "LAYER", description = "Only patients of this layer, e.g. ordered")
    String layer;

    @Option(names = "--tag", paramLabel = "TAG", description = "Only patients with this tag (tags.yaml)")
    String tag;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      if (layer != null && !TagCatalog.LAYERS.contains(layer)) {
        err.printf("unknown layer \"%s\"; layers: %s%n", layer, String.join(", ", TagCatalog.LAYERS));
        return 2;
      }
      TransferRequest request;
      try {
        request = new TransferRequest(from, to, layer, tag, "cli:" + System.getProperty("user.name", "unknown"));
      } catch (IllegalArgumentException e) {
        err.println(e.getMessage());
        return 2;
      }
      try (OfflineContext context = OfflineContext.open(store.existing())) {
        if (tag != null && context.tags() != null && !context.tags().contains(tag)) {
          err.printf("unknown tag \"%s\" (config/tags.yaml)%n", tag);
          return 2;
        }
        if (context.sandbox()) {
          // The sandbox's fake WeCom lives in the server, and it alone remembers the transfers it started.
          err.println("no WeCom corp configured (sandbox): set WECOM_CORP_ID and the other WECOM_* variables, "
              + "or try a transfer on the running sandbox server's console page /admin/transfers");
          return 1;
        }
        TransferSettings settings = context.transfer() == null ? TransferSettings.defaults() : context.transfer();
        try (TransferFeature feature = new TransferFeature(context.foundation(), context.accounts(), settings,
            Optional.empty(), Optional.empty())) {
          StaffTransfers.Started started = feature.transfers().start(request);
          out.printf("transfer %s (%s): %s → %s, %d customers, %d groups%n", started.jobId(), started.kind(), from, to,
              started.customers(), started.groups());
          started.statuses().forEach((status, count) -> out.printf("  %-18s %d%n", status, count));
          out.println("the server follows the results (customers take over within 24 h) and moves their records; "
              + "see /admin/transfers");
          return 0;
        }
      }
    }
  }
}
