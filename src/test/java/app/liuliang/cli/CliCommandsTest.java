package app.liuliang.cli;

import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.store.Database;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code liuliang contacts export} and {@code liuliang outbox retry} against a real store on disk. */
class CliCommandsTest {

  @TempDir
  Path dataDir;

  private final CliRun cli = new CliRun();
  private final StringWriter out = cli.out;
  private final StringWriter err = cli.err;

  @BeforeEach
  void seedStore() {
    long added = Instant.parse("2026-11-25T04:00:00Z").toEpochMilli();
    try (Database database = Database.open(dataDir)) {
      Jdbi jdbi = database.jdbi();
      jdbi.useHandle(h -> {
        h.execute("INSERT INTO contacts (external_userid, name, channel, layer, status, added_at, updated_at) VALUES "
            + "('wm1', '张三', 'meituan', 'intent', 'active', ?, ?), ('wm2', '=HYPERLINK(\"x\")', 'douyin', 'intent', 'lost', ?, ?), "
            + "('wm3', '李四, 王五', 'front_desk', 'ordered', 'active', ?, ?)", added, added, added + 1, added + 1, added + 2, added + 2);
        h.execute("INSERT INTO contact_tags (external_userid, tag_name, source, added_at) VALUES "
            + "('wm1', '来源-美团', 'auto', 0), ('wm1', '分层-意向', 'auto', 0), ('wm3', '分层-已下单', 'auto', 0)");
        h.execute("UPDATE contacts SET referral_code = 'ZS2345', store = 'east', opted_out = 1 WHERE external_userid = 'wm1'");
        h.execute("INSERT INTO contact_follows (external_userid, userid, added_at) VALUES "
            + "('wm1', 'dr-wang', 0), ('wm1', 'assistant-lily', 0), ('wm3', 'dr-chen', 0)");
        for (String[] row : new String[][] {{"a", "failed"}, {"b", "expired"}, {"c", "uncertain"}, {"d", "sent"}}) {
          h.execute("INSERT INTO outbox (idem_key, purpose, api, body, patient_facing, resend_safe, created_at, not_before, "
              + "deadline, status, attempts, next_attempt_at) VALUES (?, 'welcome', '/x', '{}', 1, 1, 0, 0, 0, ?, 3, 0)",
              row[0], row[1]);
        }
      });
    }
  }

  private int run(String... args) {
    return cli.run(args);
  }

  @Test
  void exportsOneLayerAsCsvWithTagsAndSafeCells() throws Exception {
    Path file = dataDir.resolve("intent.csv");

    int code = run("contacts", "export", "--layer", "intent", "--format", "csv", "--data-dir", dataDir.toString(),
        "-o", file.toString());

    assertThat(code).isZero();
    byte[] bytes = Files.readAllBytes(file);
    // UTF-8 with a byte order mark: Excel opens it with the Chinese intact.
    assertThat(bytes).startsWith(0xEF, 0xBB, 0xBF);
    assertThat(Files.readString(file)).isEqualTo(
        "\uFEFFexternal_userid,name,channel,layer,tags,status,added_at,referral_code,store,own_doctor,opted_out\r\n"
            + "wm1,张三,meituan,intent,分层-意向;来源-美团,active,2026-11-25T12:00:00+08:00,ZS2345,east,dr-wang,1\r\n"
            + "wm2,\"'=HYPERLINK(\"\"x\"\")\",douyin,intent,,lost,2026-11-25T12:00:00+08:00,,,,0\r\n");
    assertThat(err.toString()).contains("2 contacts written to");
  }

  @Test
  void exportsAsJsonWithTagsAsArrays() throws Exception {
    Path file = dataDir.resolve("all.json");

    int code = run("contacts", "export", "--format", "json", "--status", "active", "--data-dir", dataDir.toString(),
        "--output", file.toString());

    assertThat(code).isZero();
    assertThat(Files.readString(file)).isEqualTo("[{\"external_userid\":\"wm1\",\"name\":\"张三\",\"channel\":\"meituan\","
        + "\"layer\":\"intent\",\"tags\":[\"分层-意向\",\"来源-美团\"],\"status\":\"active\",\"added_at\":\"2026-11-25T12:00:00+08:00\","
        + "\"referral_code\":\"ZS2345\",\"store\":\"east\",\"own_doctor\":[\"dr-wang\"],\"opted_out\":true},"
        + "{\"external_userid\":\"wm3\",\"name\":\"李四, 王五\",\"channel\":\"front_desk\",\"layer\":\"ordered\","
        + "\"tags\":[\"分层-已下单\"],\"status\":\"active\",\"added_at\":\"2026-11-25T12:00:00+08:00\","
        + "\"referral_code\":\"\",\"store\":\"\",\"own_doctor\":[\"dr-chen\"],\"opted_out\":false}]\n");
  }

  @Test
  void unknownLayerIsAUsageErrorListingTheLayers() {
    int code = run("contacts", "export", "--layer", "vip", "--data-dir", dataDir.toString());

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("unknown layer \"vip\"").contains("stranger, potential, intent, ordered, repeat, super");
  }

  @Test
  void missingStoreIsReportedInsteadOfCreatingAnEmptyOne() {
    Path elsewhere = dataDir.resolve("nothing-here");

    int code = run("contacts", "export", "--data-dir", elsewhere.toString());

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("no store at").contains("LIULIANG_DATA_DIR");
    assertThat(elsewhere).doesNotExist();
  }

  @Test
  void retryAllFailedRequeuesFailedAndExpiredButLeavesUncertainAlone() {
    int code = run("outbox", "retry", "--all-failed", "--data-dir", dataDir.toString());

    assertThat(code).isZero();
    assertThat(out.toString()).contains("2 of 2 failed or expired actions queued again")
        .contains("1 uncertain actions left alone");
    assertThat(statuses()).containsExactly("pending", "pending", "uncertain", "sent");
  }

  @Test
  void retryOneByIdTakesAnUncertainActionAndRefusesASentOne() {
    assertThat(run("outbox", "retry", "--id", "3", "--data-dir", dataDir.toString())).isZero();
    assertThat(out.toString()).contains("outbox 3 queued again");

    assertThat(run("outbox", "retry", "--id", "4", "--data-dir", dataDir.toString())).isEqualTo(1);
    assertThat(err.toString()).contains("outbox 4 not retried: status is sent");
    assertThat(statuses()).containsExactly("failed", "expired", "pending", "sent");
  }

  @Test
  void retryNeedsEitherAnIdOrAllFailed() {
    assertThat(run("outbox", "retry", "--data-dir", dataDir.toString())).isEqualTo(2);
    assertThat(run("outbox", "retry", "--id", "1", "--all-failed", "--data-dir", dataDir.toString())).isEqualTo(2);
  }

  private java.util.List<String> statuses() {
    try (Database database = Database.open(dataDir)) {
      return database.jdbi().withHandle(h -> h.createQuery("SELECT status FROM outbox ORDER BY id").mapTo(String.class).list());
    }
  }
}
