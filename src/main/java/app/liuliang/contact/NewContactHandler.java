package app.liuliang.contact;

import app.liuliang.account.Account;
import app.liuliang.account.Accounts;
import app.liuliang.callback.CallbackEvent;
import app.liuliang.callback.CallbackHandler;
import app.liuliang.contact.ChannelResolver.Resolution;
import app.liuliang.logging.ThrottledLog;
import app.liuliang.wecom.Outbox;
import app.liuliang.wecom.OutboxRequest;
import app.liuliang.wecom.WeComApiException;
import app.liuliang.wecom.WeComClient;
import app.liuliang.wecom.WeComClient.ExternalContact;
import app.liuliang.wecom.WeComClient.FollowUser;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A patient added a staff account ({@code add_external_contact}, {@code add_half_external_contact}):
 * look them up, resolve the channel, queue the welcome (deadline: the code's 20 s), store the
 * contact, tag it with its channel and layer, and record a referral.
 *
 * <p>The welcome never waits for anything slow: when {@code externalcontact/get} fails it goes out
 * with the event's own state and no name, and the handler then fails so the inbox retries later to
 * fill in the name (the welcome, keyed per contact, follower and code, is not queued twice).
 */
final class NewContactHandler implements CallbackHandler {

  private static final Logger log = LoggerFactory.getLogger(NewContactHandler.class);
  /** WeCom's welcome code lives 20 seconds from the event. */
  static final Duration WELCOME_WINDOW = Duration.ofSeconds(20);

  private final Jdbi jdbi;
  private final WeComClient wecom;
  private final Outbox outbox;
  private final Accounts accounts;
  private final ChannelResolver channels;
  private final WelcomeTemplates templates;
  private final WelcomeComposer composer;
  private final WelcomeCovers covers;
  private final ContactRepository contacts;
  private final WelcomeRecords welcomes;
  private final ContactTagger tagger;
  private final TagCatalog catalog;
  private final Referrals referrals;
  private final Clock clock;
  private final ThrottledLog lookupFailures;
  private final MeterRegistry meters;

  NewContactHandler(Jdbi jdbi, WeComClient wecom, Outbox outbox, Accounts accounts, ChannelResolver channels,
      WelcomeTemplates templates, WelcomeComposer composer, WelcomeCovers covers, ContactRepository contacts,
      WelcomeRecords welcomes, ContactTagger tagger, TagCatalog catalog, Referrals referrals, Clock clock,
      MeterRegistry meters) {
    this.jdbi = jdbi;
    this.wecom = wecom;
    this.outbox = outbox;
    this.accounts = accounts;
    this.channels = channels;
    this.templates = templates;
    this.composer = composer;
    this.covers = covers;
    this.contacts = contacts;
    this.welcomes = welcomes;
    this.tagger = tagger;
    this.catalog = catalog;
    this.referrals = referrals;
    this.clock = clock;
    this.lookupFailures = new ThrottledLog(log, clock, Duration.ofMinutes(1));
    this.meters = meters;
  }

  @Override
  public boolean accepts(CallbackEvent event) {
    return "change_external_contact".equals(event.event())
        && ("add_external_contact".equals(event.changeType()) || "add_half_external_contact".equals(event.changeType()));
  }

  @Override
  public void handle(CallbackEvent event) throws Exception {
    String ext = event.field("ExternalUserID", "");
    String userId = event.field("UserID", "");
    if (ext.isEmpty() || userId.isEmpty()) {
      throw new PermanentFailure("add event without ExternalUserID or UserID");
    }
    Optional<ExternalContact> read = read(ext);
    String name = read.map(ExternalContact::name).orElse("");
    String state = read.flatMap(c -> c.followUsers().stream().filter(f -> f.userId().equals(userId)).findFirst())
        .map(FollowUser::state).orElse(event.field("State", ""));
    Resolution resolution = channels.resolve(state);
    String channel = resolution.channel().id();

    // One transaction in the common case. Without tag ids (WeCom was down at start) the welcome goes
    // first and nothing slow comes before it; then the ids are fetched and the tags follow.
    boolean tagsReady = tagger.idsKnown();
    // Picked once, outside the transaction: a mini-program cover it needs is uploaded here, never inside it.
    Optional<Account> account = accounts.find(userId);
    Optional<WelcomeTemplate> template = account.flatMap(a -> templates.pick(channel, a.persona()));
    if (!event.field("WelcomeCode", "").isEmpty()) {
      template.ifPresent(covers::prepare);
    }
    jdbi.useTransaction(h -> {
      long now = clock.millis();
      contacts.upsert(h, ext, name, channel, resolution.store(), userId, now);
      if (read.filter(c -> c.type() == 2).isPresent()) {
        contacts.markWeComAccount(h, ext);
      }
      contacts.upsertFollow(h, ext, userId, state, now);
      read.ifPresent(c -> contacts.saveRemarks(h, ext, c.followUsers()));
      welcome(h, event, ext, userId, name, resolution, account, template);
      if (tagsReady) {
        tagAndRefer(h, ext, userId, resolution, addKey(event));
      }
    });
    if (!tagsReady) {
      tagger.ready();
      jdbi.useTransaction(h -> tagAndRefer(h, ext, userId, resolution, addKey(event)));
    }
    if (read.isEmpty()) {
      throw new IllegalStateException("externalcontact/get failed for " + ext + "; welcomed without the name, will re-read");
    }
  }

  /**
   * Names this adding for idempotency: the welcome code (a repeated event carries the same one), else
   * the event itself. A patient who deletes us and adds again is tagged again.
   */
  private static String addKey(CallbackEvent event) {
    String code = event.field("WelcomeCode", "");
    return code.isEmpty() ? event.eventKey() : code;
  }

  private void tagAndRefer(Handle h, String ext, String userId, Resolution resolution, String addKey) {
    String layer = contacts.find(h, ext).orElseThrow().layer();
    String channelTag = resolution.channel().tag();
    long now = clock.millis();
    contacts.addTag(h, ext, channelTag, "auto", now);
    contacts.addTag(h, ext, catalog.layerTag(layer), "auto", now);
    tagger.mark(h, ext, List.of(userId), List.of(channelTag, catalog.layerTag(layer)),
        LayerPolicy.otherLayerTags(layer, catalog), "tag:new:" + ext + ":" + addKey);
    if (resolution.referralCode() != null) {
      Optional<String> referrer = contacts.byReferralCode(h, resolution.referralCode());
      if (referrer.isPresent()) {
        referrals.record(h, ext, referrer.get(), resolution.referralCode());
      } else {
        log.warn("contact {} came with unknown referral code {}", ext, resolution.referralCode());
      }
    }
  }

  private Optional<ExternalContact> read(String ext) {
    try {
      return Optional.of(wecom.getExternalContact(ext));
    } catch (WeComApiException e) {
      // One line per kind of failure and minute: in an outage every new patient fails the same way.
      lookupFailures.warn("externalcontact/get " + e.errcode() + " " + e.kind(),
          "contact " + ext + ": externalcontact/get failed (" + e.getMessage() + "); welcoming with the event's state");
      return Optional.empty();
    }
  }

  private void welcome(Handle h, CallbackEvent event, String ext, String userId, String name,
      Resolution resolution, Optional<Account> account, Optional<WelcomeTemplate> picked) {
    String code = event.field("WelcomeCode", "");
    if (code.isEmpty()) {
      // WeCom sends no code when an admin-console welcome is set or the chat already started.
      return;
    }
    String key = "welcome:" + ext + ":" + userId + ":" + code;
    if (welcomes.exists(h, key)) {
      return;
    }
    if (account.isEmpty()) {
      log.warn("contact {} added {}, which is not in accounts.yaml: no welcome", ext, userId);
      welcomes.insert(h, key, ext, userId, code, resolution.channel().id(), "-", "no_account", clock.millis());
      return;
    }
    WelcomeTemplate template = picked.orElseThrow();
    // The code lives 20 s from the event, not from our receipt: WeCom's retry of an old event carries a dying code.
    Instant deadline = event.occurredAt().plus(WELCOME_WINDOW);
    Instant now = clock.instant();
    Map<String, String> values = WelcomeComposer.values(name, account.get(), resolution.channel().name());
    if (now.isAfter(deadline)) {
      welcomes.insert(h, key, ext, userId, code, resolution.channel().id(), template.id(), "too_late", now.toEpochMilli());
      welcomes.queueFallback(h, key, template, values, userId, ext);
      meters.counter("liuliang.contact.welcomes", "outcome", "too_late").increment();
      return;
    }
    welcomes.insert(h, key, ext, userId, code, resolution.channel().id(), template.id(), "queued", now.toEpochMilli());
    outbox.enqueue(h, OutboxRequest.toPatient(key, WelcomeRecords.PURPOSE, "/cgi-bin/externalcontact/send_welcome_msg",
        composer.welcomeBody(template, code, values), ext, true, now, deadline));
    meters.counter("liuliang.contact.welcomes", "outcome", "queued").increment();
    log.info("contact {} added {} via {}: welcome {} queued", ext, userId, resolution.channel().id(), template.id());
  }
}
