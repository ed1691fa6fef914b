package app.liuliang.app;

import app.liuliang.account.Accounts;
import app.liuliang.config.Problems;
import app.liuliang.config.YamlReader;
import app.liuliang.contact.ChannelCatalog;
import app.liuliang.contact.TagCatalog;
import app.liuliang.store.Database;
import app.liuliang.wecom.Outbox;
import app.liuliang.wecom.WxJavaWeComClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;

/**
 * What a command run beside (or instead of) the server needs: the settings and the feature files,
 * checked together as at start-up (a problem ends the command with file:line:column), the store, and
 * a WeCom client for the configured corp. Built the way {@link Wiring} builds the server's.
 */
public final class OfflineContext implements AutoCloseable {

  private final Foundation foundation;
  private final FeatureConfigs configs;

  private OfflineContext(Foundation foundation, FeatureConfigs configs) {
    this.foundation = foundation;
    this.configs = configs;
  }

  /** Opens the store in {@code dataDir}; throws {@link app.liuliang.config.ConfigException} on bad config. */
  public static OfflineContext open(Path dataDir) {
    Problems problems = new Problems();
    Settings loaded = Settings.load(System.getenv(), problems);
    YamlReader yaml = new YamlReader();
    FeatureConfigs configs = loaded == null ? null : FeatureConfigs.load(loaded.configDir(), yaml, problems);
    problems.throwIfAny();
    WeComCredentials wecom = loaded.wecom();
    if (wecom.sandbox()) {
      // No corp: the sandbox's fake WeCom lives in the server. Commands here must not call WeCom (see sandbox()).
      wecom = wecom.withApiBaseUrl("http://127.0.0.1:9");
    }
    Settings settings = loaded.withWeCom(wecom).withDataDir(dataDir);
    Clock clock = Clock.systemUTC();
    Database database = Database.open(settings.store());
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    var json = Json.mapper();
    WxJavaWeComClient client = new WxJavaWeComClient(settings.wecom(), database.jdbi(), clock, json, meters,
        settings.app().wecom().maxCallsPerMinute());
    Foundation foundation = new Foundation(settings, database, clock, json, yaml, client,
        new Outbox(database, json, clock), meters);
    return new OfflineContext(foundation, configs);
  }

  public Foundation foundation() {
    return foundation;
  }

  public Accounts accounts() {
    return configs.accounts;
  }

  public TagCatalog tags() {
    return configs.tags;
  }

  public ChannelCatalog channels() {
    return configs.channels;
  }

  public app.liuliang.contact.ReferralSettings referral() {
    return configs.referral;
  }

  /** config/transfer.yaml, for {@code liuliang staff transfer}. */
  public app.liuliang.transfer.TransferSettings transfer() {
    return configs.transfer;
  }

  /** No corp configured: nothing real to call. */
  public boolean sandbox() {
    return foundation.settings().wecom().sandbox();
  }

  @Override
  public void close() {
    foundation.database().close();
  }
}
