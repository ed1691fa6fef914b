package app.liuliang.channel;

import app.liuliang.account.Account;
import app.liuliang.account.Accounts;
import app.liuliang.app.Feature;
import app.liuliang.app.Foundation;
import app.liuliang.contact.ChannelCatalog;
import app.liuliang.contact.ChannelCatalog.DeclaredCode;
import app.liuliang.contact.ReferralSettings;
import app.liuliang.contact.TagCatalog;
import app.liuliang.store.OncePerCluster;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Channel codes as a feature: reconciled with WeCom in the background at start (a WeCom outage then
 * does not hold up start-up) and every {@link #EVERY_MINUTES} minutes (which retries what failed and
 * costs no call while nothing changed); the codes with their QR images and posters for the console
 * and the command line. With several nodes both timers run on one node at a time ({@link OncePerCluster}):
 * each code's create is claimed in the store anyway, so a second node would only repeat WeCom reads and
 * QR downloads, and two nodes deploying different channels.yaml would undo each other's codes.
 */
public final class ChannelCodesFeature implements Feature {

  private static final Logger log = LoggerFactory.getLogger(ChannelCodesFeature.class);
  static final long EVERY_MINUTES = 10;

  /** A declared code and what the store knows of it, for the console and {@code channels list}. */
  public record CodeView(DeclaredCode declared, Optional<ChannelCodes.Row> stored, List<String> staff) {

    public String state() {
      return declared.state();
    }

    /** 美团 · 城东分院 */
    public String label() {
      return declared.channel().name() + (declared.store() == null ? "" : " · " + declared.store().name());
    }

    public String status() {
      return stored.map(ChannelCodes.Row::status).orElse("pending");
    }

    public String error() {
      return stored.map(ChannelCodes.Row::error).orElse(null);
    }

    public boolean hasQr() {
      return stored.map(ChannelCodes.Row::hasQr).orElse(false);
    }

    public String configId() {
      return stored.map(ChannelCodes.Row::configId).orElse(null);
    }
  }

  private final ChannelConfig config;
  private final Accounts accounts;
  private final ChannelCodes codes;
  private final ChannelCodeReconciler reconciler;
  private final PersonalCodes personal;
  private final PosterRenderer posters = new PosterRenderer();
  private final OncePerCluster reconcileJob;
  private final OncePerCluster scanJob;
  private ScheduledExecutorService schedule;

  public ChannelCodesFeature(Foundation f, Accounts accounts, TagCatalog tags, ChannelCatalog catalog,
      ReferralSettings referral) {
    this.config = new ChannelConfig(f.settings().configDir(), f.yaml(), tags, accounts, catalog);
    this.accounts = accounts;
    this.codes = new ChannelCodes(f.database().jdbi());
    ContactWays ways = new ContactWays(f.wecom(), f.json());
    QrImages qr = new QrImages();
    this.reconciler = new ChannelCodeReconciler(codes, ways, qr, f.json(), f.clock());
    this.personal = new PersonalCodes(f.database().jdbi(), ways, qr, f.outbox(), f.json(), f.clock(),
        referral.personalCode(), f.settings().app().admins(), f.settings().wecom().agentIdAsInt());
    String node = f.settings().nodeId();
    this.reconcileJob = OncePerCluster.every(f.database().jdbi(), "channel-codes.reconcile", node,
        Duration.ofMinutes(EVERY_MINUTES), f.clock());
    this.scanJob = OncePerCluster.every(f.database().jdbi(), "channel-codes.personal-scan", node, Duration.ofMinutes(1),
        f.clock());
  }

  /** Personal codes as the kf reply asks for them: made now if need be, with their QR image. */
  public app.liuliang.contact.ReferralCodes referralCodes() {
    return externalUserId -> personal.ensure(externalUserId, "asked")
        .filter(code -> "active".equals(code.status()))
        .flatMap(code -> personal.qr(externalUserId).map(png ->
            new app.liuliang.contact.ReferralCodes.PersonalCode(code.state().substring("ref:".length()), png)));
  }

  /** Patients' personal referral codes. */
  public PersonalCodes personal() {
    return personal;
  }

  @Override
  public void start() {
    schedule = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "channel-codes");
      t.setDaemon(true);
      return t;
    });
    schedule.scheduleWithFixedDelay(this::scheduledReconcile, 0, EVERY_MINUTES, TimeUnit.MINUTES);
    // Patients who reached the layer get their code within a minute; long-lost ones lose theirs.
    schedule.scheduleWithFixedDelay(this::scheduledScan, 1, 1, TimeUnit.MINUTES);
  }

  /** The timer's reconcile: true when it ran on this node (the one holding the job in the cluster). */
  boolean scheduledReconcile() {
    return reconcileJob.runIfHolder(this::reconcileQuietly);
  }

  /** The timer's personal-code scan: true when it ran on this node. */
  boolean scheduledScan() {
    return scanJob.runIfHolder(this::scanQuietly);
  }

  /** Reconciles now ({@code liuliang channels sync}); what it did. */
  public ChannelCodeReconciler.Report sync() {
    config.refresh();
    return reconciler.reconcile(config.current().codes());
  }

  /** The catalog in force (the file as last read valid). */
  public ChannelCatalog catalog() {
    return config.current();
  }

  private void reconcileQuietly() {
    try {
      sync();
    } catch (RuntimeException e) {
      log.warn("channel codes not reconciled ({}); tried again in {} minutes", e.getClass().getSimpleName(),
          EVERY_MINUTES);
    }
  }

  /** One pass over personal referral codes now (what the minute's scan does). */
  public void scanPersonalCodes() {
    personal.scan();
  }

  private void scanQuietly() {
    try {
      personal.scan();
    } catch (RuntimeException e) {
      log.warn("personal referral codes not scanned ({}); tried again in a minute", e.getClass().getSimpleName());
    }
  }

  /** Every declared code, in file order, with its stored state. */
  public List<CodeView> codes() {
    Map<String, ChannelCodes.Row> stored = codes.all().stream()
        .collect(Collectors.toMap(ChannelCodes.Row::state, Function.identity()));
    return config.current().codes().stream().map(d -> new CodeView(d, Optional.ofNullable(stored.get(d.state())),
        d.accounts().stream().map(id -> accounts.find(id).map(Account::nickname).orElse(id)).toList())).toList();
  }

  public Optional<CodeView> code(String state) {
    return codes().stream().filter(c -> c.state().equals(state)).findFirst();
  }

  /** The code for a channel (and store id or name), as {@code channels poster} and the simulator name it. */
  public Optional<CodeView> code(String channel, String store) {
    return codes().stream().filter(c -> c.declared().channel().id().equals(channel))
        .filter(c -> store == null || store.isEmpty() ? c.declared().store() == null
            : c.declared().store() != null && (c.declared().store().id().equals(store) || c.declared().store().name().equals(store)))
        .findFirst();
  }

  public Optional<byte[]> qr(String state) {
    return codes.qr(state);
  }

  /** The printable poster (PNG); empty while the code has no QR image yet. */
  public Optional<byte[]> poster(String state) {
    Optional<CodeView> code = code(state);
    Optional<byte[]> qr = codes.qr(state);
    if (code.isEmpty() || qr.isEmpty()) {
      return Optional.empty();
    }
    DeclaredCode d = code.get().declared();
    Account first = accounts.find(d.accounts().get(0)).orElse(null);
    String person = d.accounts().size() == 1 && first != null ? first.nickname() : config.current().clinic() + "客服团队";
    String role = d.accounts().size() == 1 && first != null ? first.role() : String.join("、", code.get().staff());
    return Optional.of(posters.render(new PosterRenderer.Poster(config.current().clinic(), person, role,
        code.get().label(), d.posterLine()), qr.get()));
  }

  @Override
  public void close() {
    if (schedule != null) {
      schedule.shutdownNow();
    }
    reconcileJob.close();
    scanJob.close();
  }
}
