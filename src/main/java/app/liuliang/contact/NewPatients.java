package app.liuliang.contact;

import app.liuliang.account.Accounts;
import app.liuliang.app.Feature;
import app.liuliang.app.Foundation;
import app.liuliang.callback.CallbackHandler;
import app.liuliang.wecom.OutboxGuard;
import app.liuliang.wecom.OutboxListener;
import app.liuliang.wecom.WeComApiException;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The new-patients feature: value-first welcome, channel and layer tags, layers, referrals (KOC),
 * lost contacts. Other features reach it through {@link #layers()} and {@link #tagger()}; the
 * practice system through {@link #practiceEvents()} ({@code POST /api/events}).
 */
public final class NewPatients implements Feature {

  private static final Logger log = LoggerFactory.getLogger(NewPatients.class);
  private static final long REFERRAL_SCAN_MINUTES = 5;

  private final TagSync tagSync;
  private final ContactTagger tagger;
  private final ContactLayers layers;
  private final OptOuts optOuts;
  private final PracticeEvents practiceEvents;
  private final List<CallbackHandler> handlers;
  private final WelcomeRecords welcomes;
  private final LostContactGuard guard;
  private final ReferralProgramme programme;
  private java.util.concurrent.ScheduledExecutorService referralScan;
  private final ContactDirectory directory;
  /**
   * The referral scan on one node at a time: a referral's decision is a compare-and-set, but the tier it
   * reaches counts the referrer's friends, which two nodes deciding two friends of one referrer at once
   * would each count one short of.
   */
  private final app.liuliang.store.OncePerCluster referralJob;

  public NewPatients(Foundation f, Accounts accounts, TagCatalog tags, ChannelCatalog channelCatalog,
      WelcomeTemplates templates) {
    this(f, accounts, tags, channelCatalog, templates, GroupCodes.NONE, new ReferralSettings(null, null));
  }

  /**
   * @param groupCodes the group codes welcomes may offer ({@code {group_qr:<category>}})
   * @param referral   referral.yaml: the programme that decides which referrals count
   */
  public NewPatients(Foundation f, Accounts accounts, TagCatalog tags, ChannelCatalog channelCatalog,
      WelcomeTemplates templates, GroupCodes groupCodes, ReferralSettings referral) {
    Jdbi jdbi = f.database().jdbi();
    ContactRepository contacts = new ContactRepository();
    WelcomeCovers covers = new WelcomeCovers(f.wecom(), jdbi, f.settings().nodeId(), f.settings().configDir(), f.clock());
    WelcomeComposer composer = new WelcomeComposer(f.json(), covers, groupCodes);
    ChannelResolver channels = new ChannelResolver(channelCatalog);
    this.tagSync = new TagSync(f.wecom(), jdbi, tags, f.clock(), f.settings().nodeId());
    this.tagger = new ContactTagger(jdbi, f.outbox(), tagSync, tags, contacts, f.json(), f.clock());
    this.layers = new ContactLayers(jdbi, contacts, tagger, tags, f.clock());
    this.optOuts = new OptOuts(jdbi, tagger, tags.optedOutTag(), f.clock());
    Referrals referrals = new Referrals(contacts, tagger, layers, tags, f.outbox(), f.json(), f.clock(),
        f.settings().app().admins(), f.settings().wecom().agentIdAsInt());
    this.welcomes = new WelcomeRecords(f.outbox(), templates, composer, accounts, channelCatalog, contacts, f.clock());
    this.practiceEvents = new PracticeEvents(jdbi, contacts, layers, tagger, f.clock(), f.settings().app().timezone());
    this.guard = new LostContactGuard(jdbi);
    this.programme = new ReferralProgramme(jdbi, f.outbox(), f.json(), f.clock(), f.settings().app().timezone(),
        referral.programme(), f.settings().wecom().agentIdAsInt());
    this.directory = new ContactDirectory(jdbi);
    this.referralJob = app.liuliang.store.OncePerCluster.every(jdbi, "referral-scan", f.settings().nodeId(),
        java.time.Duration.ofMinutes(REFERRAL_SCAN_MINUTES), f.clock());
    this.handlers = List.of(
        new NewContactHandler(jdbi, f.wecom(), f.outbox(), accounts, channels, templates, composer, covers, contacts,
            welcomes, tagger, tags, referrals, f.clock(), f.meters()),
        new ContactChangeHandler(jdbi, f.wecom(), f.outbox(), contacts, layers, tagger, channels, tags, referrals,
            f.clock()));
  }

  /** Layers, for the messages feature (replies, intents). */
  public ContactLayers layers() {
    return layers;
  }

  /** Tags by name, for the messages feature (need tags by intent). */
  public ContactTagger tagger() {
    return tagger;
  }

  /** Read-only look-ups of patients (customer groups, churn alerts). */
  public ContactDirectory directory() {
    return directory;
  }

  /** The operator's opt-out toggle (console), recorded with who and why. */
  public OptOuts optOuts() {
    return optOuts;
  }

  public PracticeEvents practiceEvents() {
    return practiceEvents;
  }

  @Override
  public List<CallbackHandler> callbackHandlers() {
    return handlers;
  }

  @Override
  public List<OutboxGuard> outboxGuards() {
    return List.of(guard);
  }

  @Override
  public List<OutboxListener> outboxListeners() {
    return List.of(welcomes, programme);
  }

  /** 老带新: which referrals count, rewards, redemption. */
  public ReferralProgramme referralProgramme() {
    return programme;
  }

  /** Makes the tags exist in WeCom; if WeCom is unreachable now, the first tagging tries again. */
  @Override
  public void start() {
    try {
      tagSync.sync();
    } catch (WeComApiException e) {
      log.warn("tag sync at start failed ({}); will retry when a contact is tagged", e.getMessage());
    }
    referralScan = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "referral-programme");
      t.setDaemon(true);
      return t;
    });
    // Referrals come due counts_after (days) after the add: a scan every few minutes is soon enough.
    referralScan.scheduleWithFixedDelay(() -> referralJob.runIfHolder(() -> {
      try {
        programme.scan();
      } catch (RuntimeException e) {
        log.warn("referral scan failed ({}); tried again in 5 minutes", e.getClass().getSimpleName());
      }
    }), 1, REFERRAL_SCAN_MINUTES, java.util.concurrent.TimeUnit.MINUTES);
  }

  @Override
  public void close() {
    if (referralScan != null) {
      referralScan.shutdownNow();
    }
    referralJob.close();
  }
}
