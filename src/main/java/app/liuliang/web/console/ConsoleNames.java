package app.liuliang.web.console;

import app.liuliang.account.Account;
import app.liuliang.account.Accounts;
import app.liuliang.contact.ChannelCatalog;
import java.util.function.Supplier;

/**
 * Chinese names from config for the ids stored in the tables: channels and stores
 * ({@code channels.yaml}), staff ({@code accounts.yaml}). An id config no longer knows is shown as
 * itself, marked, rather than hidden. Either file may have failed to load (validate reports it).
 */
final class ConsoleNames {

  private final Supplier<ChannelCatalog> catalog;
  private final Accounts accounts;

  /** @param catalog the current channels.yaml (it is re-read on edits) */
  ConsoleNames(Supplier<ChannelCatalog> catalog, Accounts accounts) {
    this.catalog = catalog;
    this.accounts = accounts;
  }

  String channel(String channelId) {
    ChannelCatalog channels = catalog.get();
    String id = channelId;
    if (id == null || id.isEmpty()) {
      id = ChannelCatalog.UNKNOWN;
    }
    return channels == null ? id : channels.find(id).map(ChannelCatalog.Channel::name).orElse(id + "（已停用）");
  }

  String store(String id) {
    ChannelCatalog channels = catalog.get();
    if (id == null || id.isEmpty()) {
      return "";
    }
    return channels == null ? id : channels.store(id).map(ChannelCatalog.Store::name).orElse(id + "（已停用）");
  }

  /** The console's own operator, for changes not made as a staff account (e.g. an opt-out toggle). */
  static final String OPERATOR = "operator";

  String staff(String userId) {
    if (userId == null || userId.isEmpty()) {
      return "未分配";
    }
    if (OPERATOR.equals(userId)) {
      return "运营管理员";
    }
    return accounts == null ? userId : accounts.find(userId).map(Account::nickname).orElse(userId);
  }

  ChannelCatalog channels() {
    return catalog.get();
  }

  Accounts accounts() {
    return accounts;
  }
}
