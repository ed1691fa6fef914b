package app.liuliang.group;

import app.liuliang.account.Account;
import app.liuliang.account.Accounts;
import app.liuliang.app.Feature;
import app.liuliang.app.Foundation;
import app.liuliang.callback.CallbackHandler;
import app.liuliang.contact.NewPatients;
import app.liuliang.store.OncePerCluster;
import app.liuliang.wecom.WeComApiException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The customer-groups feature: membership from {@code change_external_chat} and the periodic sync,
 * group codes and join welcomes reconciled at start, tags and layers for patients who join, churn
 * alerts. {@code POST /api/groups/sync} runs the sync now ({@link #syncNow}).
 * With several nodes the periodic sync runs on one at a time ({@link OncePerCluster}): it pages through every
 * owner's groups in WeCom, which a second node would only repeat. The refresh worker needs no gate (each due
 * group is claimed with a compare-and-set lease), nor does the churn digest (each recipient's alerts are marked
 * digested by one {@code UPDATE ... RETURNING}, and its message is keyed by day and recipient).
 */
public final class CustomerGroups implements Feature {

  private static final Logger log = LoggerFactory.getLogger(CustomerGroups.class);

  /** What {@code POST /api/groups/sync} answers. */
  public record SyncResult(int listed, int refreshed, int dismissed, int failed) {
  }

  private final GroupCatalog catalog;
  private final GroupSync sync;
  private final GroupCodeReconciler codes;
  private final List<CallbackHandler> handlers;
  private final GroupRefreshWorker worker;
  private final java.util.Optional<ChurnDigest> digest;
  private final OncePerCluster syncJob;
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "group-sync");
    t.setDaemon(true);
    return t;
  });

  public CustomerGroups(Foundation f, Accounts accounts, GroupCatalog catalog, NewPatients patients) {
    this.catalog = catalog;
    Jdbi jdbi = f.database().jdbi();
    GroupRepository groups = new GroupRepository();
    ChurnAlerts alerts = new ChurnAlerts(jdbi, patients.directory(), accounts, f.outbox(), f.json(), f.clock(),
        f.settings().app().timezone(), f.settings().app().admins(), catalog.churn(), f.settings().wecom().agentIdAsInt());
    this.digest = catalog.churn().digestTime().map(at -> new ChurnDigest(jdbi, f.outbox(), alerts, f.clock(),
        f.settings().app().timezone(), at));
    GroupEffects effects = new GroupEffects(jdbi, groups, catalog, patients.directory(), patients.tagger(),
        patients.layers(), alerts);
    GroupRefresher refresher = new GroupRefresher(jdbi, f.wecom(), groups, catalog, effects, f.clock());
    RefreshQueue queue = new RefreshQueue(jdbi);
    this.worker = new GroupRefreshWorker(queue, refresher, f.clock());
    this.sync = new GroupSync(jdbi, f.wecom(), groups, refresher, owners(accounts, catalog), f.clock());
    this.codes = new GroupCodeReconciler(jdbi, f.wecom(), catalog, f.json(), f.clock(),
        f.settings().wecom().agentIdAsInt());
    this.syncJob = OncePerCluster.every(jdbi, "group-sync", f.settings().nodeId(), catalog.syncEvery(), f.clock());
    this.handlers = List.of(new GroupChatHandler(jdbi, groups, queue, f.clock(), catalog.refreshSettle()), alerts);
  }

  /** Every staff account and every category owner: whose groups the sync lists. */
  private static List<String> owners(Accounts accounts, GroupCatalog catalog) {
    Set<String> owners = new LinkedHashSet<>();
    if (accounts != null) {
      accounts.accounts().stream().map(Account::id).forEach(owners::add);
    }
    owners.addAll(catalog.owners());
    return List.copyOf(owners);
  }

  public GroupCatalog catalog() {
    return catalog;
  }

  /** The group code QR image URL of each category that has one. */
  public Map<String, String> qrCodes() {
    return codes.qrCodes();
  }

  /** Runs the full sync now, on the caller's thread (the scheduled one waits its turn). */
  public SyncResult syncNow() throws WeComApiException {
    GroupSync.Report r = sync.run();
    return new SyncResult(r.listed(), r.refreshed(), r.dismissed(), r.failed());
  }

  @Override
  public List<CallbackHandler> callbackHandlers() {
    return handlers;
  }

  /**
   * Codes and welcomes first, like the tags at start (a failure is logged and tried at the next start),
   * then the sync in the background, at once and every sync_every.
   */
  @Override
  public void start() {
    reconcile();
    worker.start();
    long every = catalog.syncEvery().toSeconds();
    scheduler.scheduleWithFixedDelay(this::scheduledSync, 0, every, TimeUnit.SECONDS);
    digest.ifPresent(d -> scheduler.scheduleWithFixedDelay(() -> runDigest(d), 1, 1, TimeUnit.SECONDS));
  }

  private void runDigest(ChurnDigest d) {
    try {
      d.runIfDue();
    } catch (RuntimeException e) {
      log.warn("churn digest failed ({}); tried again in a second", e.getMessage());
    }
  }

  private void reconcile() {
    try {
      codes.run();
    } catch (RuntimeException e) {
      log.warn("group codes and join welcomes not reconciled ({}); the next start tries again", e.getMessage());
    }
  }

  private void scheduledSync() {
    syncJob.runIfHolder(this::syncQuietly);
  }

  private void syncQuietly() {
    try {
      sync.run();
    } catch (WeComApiException | RuntimeException e) {
      log.warn("group sync failed ({}); the next one tries again", e.getMessage());
    }
  }

  @Override
  public void close() throws InterruptedException {
    worker.close();
    scheduler.shutdownNow();
    scheduler.awaitTermination(5, TimeUnit.SECONDS);
    syncJob.close();
  }
}
