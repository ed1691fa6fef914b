package app.liuliang.channel;

import app.liuliang.account.Accounts;
import app.liuliang.config.Problems;
import app.liuliang.config.YamlReader;
import app.liuliang.contact.ChannelCatalog;
import app.liuliang.contact.TagCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.codec.digest.DigestUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code channels.yaml} as the codes follow it: re-read before each reconcile when the file changed,
 * so an edit (or {@code liuliang channels sync} from a newer file) is not undone by a server that
 * started with the old one. An invalid edit is reported with file:line:column and the last valid
 * catalog stays in force.
 */
final class ChannelConfig {

  private static final Logger log = LoggerFactory.getLogger(ChannelConfig.class);

  private final Path configDir;
  private final YamlReader yaml;
  private final TagCatalog tags;
  private final Accounts accounts;
  private volatile ChannelCatalog current;
  private String checksum;

  ChannelConfig(Path configDir, YamlReader yaml, TagCatalog tags, Accounts accounts, ChannelCatalog initial) {
    this.configDir = configDir;
    this.yaml = yaml;
    this.tags = tags;
    this.accounts = accounts;
    this.current = initial;
    this.checksum = checksum();
  }

  ChannelCatalog current() {
    return current;
  }

  /** Re-reads the file if it changed; the problems of an invalid edit (empty otherwise). */
  synchronized Problems refresh() {
    String now = checksum();
    Problems problems = new Problems();
    if (now.equals(checksum)) {
      return problems;
    }
    checksum = now;
    ChannelCatalog loaded = ChannelCatalog.load(configDir, yaml, tags, accounts, problems);
    if (loaded != null) {
      current = loaded;
      log.info("{} changed: {} channel codes declared", ChannelCatalog.FILE, loaded.codes().size());
    } else {
      log.warn("{} is invalid, the codes follow the previous version:\n{}", ChannelCatalog.FILE, problems);
    }
    return problems;
  }

  private String checksum() {
    try {
      return DigestUtils.sha256Hex(Files.readString(configDir.resolve(ChannelCatalog.FILE)));
    } catch (IOException e) {
      return "unreadable";
    }
  }
}
