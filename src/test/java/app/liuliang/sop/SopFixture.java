package app.liuliang.sop;

import app.liuliang.store.StoreLocation;
import app.liuliang.account.Accounts;
import app.liuliang.app.AppConfig;
import app.liuliang.app.Foundation;
import app.liuliang.group.GroupCatalog;
import app.liuliang.group.GroupDirectory;
import app.liuliang.app.Json;
import app.liuliang.app.Settings;
import app.liuliang.app.WeComCredentials;
import app.liuliang.config.Problems;
import app.liuliang.config.YamlReader;
import app.liuliang.contact.TagCatalog;
import app.liuliang.store.Database;
import app.liuliang.testing.MutableClock;
import app.liuliang.wecom.Outbox;
import app.liuliang.wecom.OutboxItem;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A SOP feature on an in-memory store with a fake WeCom, a copy of the shipped accounts, tags and
 * media, and a clock at Monday 2026-11-23 09:00 Shanghai. Quartz is not started: tests fire jobs'
 * work directly with the clock where they want it.
 */
final class SopFixture implements AutoCloseable {

  static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

  final Path configDir;
  final Database database;
  final MutableClock clock = new MutableClock(shanghai("2026-11-23T09:00"));
  final FakeWeCom wecom = new FakeWeCom();
  final Outbox outbox;
  final Foundation foundation;
  final SopFeature feature;
  final YamlReader yaml = new YamlReader();

  SopFixture() throws Exception {
    this(Map.of());
  }

  SopFixture(Map<String, String> files) throws Exception {
    this(files, app.liuliang.contact.ReferralCodes.none());
  }

  SopFixture(Map<String, String> files, app.liuliang.contact.ReferralCodes referralCodes) throws Exception {
    this(files, referralCodes, app.liuliang.contact.GroupCodes.NONE);
  }

  SopFixture(Map<String, String> files, app.liuliang.contact.ReferralCodes referralCodes,
      app.liuliang.contact.GroupCodes groupCodes) throws Exception {
    this(Database.inMemory(), files, referralCodes, groupCodes);
  }

  /** On a store of the test's choosing (see {@code TestStores}); closed with the fixture. */
  SopFixture(Database database) throws Exception {
    this(database, Map.of(), app.liuliang.contact.ReferralCodes.none(), app.liuliang.contact.GroupCodes.NONE);
  }

  private SopFixture(Database database, Map<String, String> files, app.liuliang.contact.ReferralCodes referralCodes,
      app.liuliang.contact.GroupCodes groupCodes) throws Exception {
    this.database = database;
    configDir = Files.createTempDirectory("sop-config");
    Path shipped = Path.of("config");
    for (String name : List.of("accounts.yaml", "tags.yaml", "groups.yaml")) {
      Files.copy(shipped.resolve(name), configDir.resolve(name));
    }
    Files.createDirectories(configDir.resolve("media"));
    Files.createDirectories(configDir.resolve("sop"));
    Files.createDirectories(configDir.resolve("campaigns"));
    try (Stream<Path> media = Files.list(shipped.resolve("media"))) {
      for (Path m : media.toList()) {
        Files.copy(m, configDir.resolve("media").resolve(m.getFileName()));
      }
    }
    for (var file : files.entrySet()) {
      write(file.getKey(), file.getValue());
    }
    AppConfig app = new AppConfig(null, null, null, null, List.of("admin-zhang"), SHANGHAI);
    Settings settings = new Settings(app, WeComCredentials.sandboxDefaults(), 0, configDir, configDir, Optional.empty(),
        StoreLocation.sqlite(configDir), "test-node");
    outbox = new Outbox(database, Json.mapper(), clock);
    foundation = new Foundation(settings, database, clock, Json.mapper(), yaml, wecom, outbox, new SimpleMeterRegistry());
    Problems problems = new Problems();
    Accounts accounts = Accounts.load(configDir, yaml, problems);
    TagCatalog tags = TagCatalog.load(configDir, yaml, problems);
    GroupCatalog groups = GroupCatalog.load(configDir, yaml, accounts, tags, problems);
    problems.throwIfAny();
    SopFeature.SopConfig config = SopFeature.loadConfig(configDir, yaml, accounts, tags, groups.names(), problems);
    problems.throwIfAny();
    feature = new SopFeature(foundation, accounts, tags, config, groups.names(),
        new GroupDirectory(database.jdbi()), referralCodes, groupCodes);
  }

  static Instant shanghai(String localDateTime) {
    return ZonedDateTime.of(java.time.LocalDateTime.parse(localDateTime), SHANGHAI).toInstant();
  }

  void write(String relative, String text) throws IOException {
    Path file = configDir.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }

  SopEngine engine() {
    return feature.engine();
  }

  String status(String plan, String id) {
    return engine().repository().item(plan, id).orElseThrow().status();
  }

  /** One item's deliveries as "target=status", by target. */
  List<String> deliveries(String itemId) {
    return database.jdbi().withHandle(h -> h.createQuery(
            "SELECT target || '=' || status FROM sop_deliveries WHERE item_id = :i ORDER BY target")
        .bind("i", itemId).mapTo(String.class).list());
  }

  List<OutboxItem> outbox(String purposePrefix) {
    return outbox.repository().byPurpose(purposePrefix, 1000);
  }

  void contact(String extId, String name, String layer, String follower, String... tags) {
    contact(extId, name, layer, follower, 0, "active", tags);
  }

  void contact(String extId, String name, String layer, String follower, int optedOut, String status, String... tags) {
    long now = clock.millis();
    database.jdbi().useHandle(h -> {
      h.execute("INSERT INTO contacts (external_userid, name, layer, opted_out, status, added_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
          extId, name, layer, optedOut, status, now, now);
      h.execute("INSERT INTO contact_follows (external_userid, userid, added_at) VALUES (?, ?, ?)", extId, follower, now);
      for (String tag : tags) {
        h.execute("INSERT INTO contact_tags (external_userid, tag_name, source, added_at) VALUES (?, ?, 'staff', ?)", extId, tag, now);
      }
    });
  }

  @Override
  public void close() throws Exception {
    feature.close();
    database.close();
  }
}
