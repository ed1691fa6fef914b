package app.liuliang.cli;

import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.app.Main;
import app.liuliang.store.Database;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code liuliang staff transfer}: its options, and what it refuses before calling WeCom. */
class StaffCommandTest {

  @TempDir
  Path dataDir;

  private final CliRun cli = new CliRun();

  @Test
  void fromToLayerAndTagAreParsed() {
    CommandLine.ParseResult parsed = Main.commandLine().parseArgs("staff", "transfer", "--from", "assistant-lily",
        "--to", "dr-wang", "--layer", "ordered", "--tag", "意向-种植", "--data-dir", dataDir.toString());
    StaffCommand.Transfer transfer = (StaffCommand.Transfer) parsed.subcommand().subcommand().commandSpec().userObject();
    assertThat(transfer.from).isEqualTo("assistant-lily");
    assertThat(transfer.to).isEqualTo("dr-wang");
    assertThat(transfer.layer).isEqualTo("ordered");
    assertThat(transfer.tag).isEqualTo("意向-种植");
  }

  @Test
  void aTransferNeedsBothMembersAndTwoDifferentOnes() {
    assertThat(cli.run("staff", "transfer", "--from", "assistant-lily")).isEqualTo(2);
    assertThat(cli.err.toString()).contains("--to");
    assertThat(cli.run("staff", "transfer", "--from", "dr-wang", "--to", "dr-wang", "--data-dir", dataDir.toString()))
        .isEqualTo(2);
    assertThat(cli.err.toString()).contains("--from and --to are the same member (dr-wang)");
    assertThat(cli.run("staff", "transfer", "--from", "a", "--to", "b", "--layer", "vip")).isEqualTo(2);
    assertThat(cli.err.toString()).contains("unknown layer \"vip\"");
  }

  @Test
  void withoutACorpItSaysSoAndTransfersNothing() {
    Database.open(dataDir).close();
    assertThat(cli.run("staff", "transfer", "--from", "assistant-lily", "--to", "dr-wang", "--data-dir",
        dataDir.toString())).as(cli.err.toString()).isEqualTo(1);
    assertThat(cli.err.toString()).contains("sandbox");
  }
}
