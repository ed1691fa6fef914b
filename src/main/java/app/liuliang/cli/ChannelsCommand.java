package app.liuliang.cli;

import app.liuliang.app.OfflineContext;
import app.liuliang.channel.ChannelCodesFeature;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code liuliang channels ...}: the 「联系我」 codes of {@code config/channels.yaml}. */
@Command(name = "channels", mixinStandardHelpOptions = true, description = "Channel codes (「联系我」 QR codes).",
    subcommands = {ChannelsCommand.ListCodes.class, ChannelsCommand.Sync.class, ChannelsCommand.Poster.class})
public final class ChannelsCommand {

  private static ChannelCodesFeature feature(OfflineContext context) {
    return new ChannelCodesFeature(context.foundation(), context.accounts(), context.tags(), context.channels(),
        context.referral());
  }

  /** {@code liuliang channels list}: every declared code, its WeCom id, status and QR. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "Declared codes and what WeCom holds of them.")
  static final class ListCodes implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    StoreOption store;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      try (OfflineContext context = OfflineContext.open(store.existing())) {
        out.printf("%-24s %-20s %-9s %-4s %-14s %s%n", "state", "channel", "status", "qr", "staff", "config_id / problem");
        for (ChannelCodesFeature.CodeView code : feature(context).codes()) {
          out.printf("%-24s %-20s %-9s %-4s %-14s %s%n", code.state(), code.label(), code.status(),
              code.hasQr() ? "yes" : "no", String.join(",", code.staff()),
              code.error() != null ? code.error() : Optional.ofNullable(code.configId()).orElse("-"));
        }
      }
      return 0;
    }
  }

  /** {@code liuliang channels sync}: creates, updates and deletes codes in WeCom now. */
  @Command(name = "sync", mixinStandardHelpOptions = true,
      description = "Make WeCom hold exactly the declared codes (create, update, delete ours; never others').")
  static final class Sync implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    StoreOption store;

    @Override
    public Integer call() {
      try (OfflineContext context = OfflineContext.open(store.existing())) {
        if (context.sandbox()) {
          spec.commandLine().getErr().println("no WeCom corp configured (sandbox): the running server makes the "
              + "sandbox's codes itself; set WECOM_CORP_ID and the other WECOM_* variables for a real corp");
          return 1;
        }
        var report = feature(context).sync();
        spec.commandLine().getOut().println("channel codes: " + report);
        return report.failed().isEmpty() ? 0 : 1;
      }
    }
  }

  /** {@code liuliang channels poster <channel> [--store S] --out FILE}: the printable poster (PNG, A5, 300 dpi). */
  @Command(name = "poster", mixinStandardHelpOptions = true, description = "Write a code's printable poster (PNG).")
  static final class Poster implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    StoreOption store;

    @Parameters(index = "0", paramLabel = "CHANNEL", description = "Channel id, e.g. meituan")
    String channel;

    @Option(names = "--store", description = "Store id or name, e.g. east or 城东分院")
    String storeName;

    @Option(names = "--out", required = true, description = "The PNG file to write")
    Path out;

    @Override
    public Integer call() throws Exception {
      PrintWriter err = spec.commandLine().getErr();
      try (OfflineContext context = OfflineContext.open(store.existing())) {
        ChannelCodesFeature codes = feature(context);
        Optional<ChannelCodesFeature.CodeView> code = codes.code(channel, storeName);
        if (code.isEmpty()) {
          err.printf("no code declared for channel %s%s in channels.yaml%n", channel,
              storeName == null ? "" : " and store " + storeName);
          return 1;
        }
        Optional<byte[]> poster = codes.poster(code.get().state());
        if (poster.isEmpty()) {
          err.printf("code %s has no QR image yet (status %s): run liuliang channels sync first%n", code.get().state(),
              code.get().status());
          return 1;
        }
        Files.write(out, poster.get());
        spec.commandLine().getOut().printf("poster for %s written to %s%n", code.get().label(), out);
        return 0;
      }
    }
  }
}
