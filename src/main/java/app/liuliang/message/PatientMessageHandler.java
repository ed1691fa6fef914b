package app.liuliang.message;

import app.liuliang.contact.ReferralCodes;
import app.liuliang.account.Account;
import app.liuliang.handoff.HandoffRequest;
import app.liuliang.handoff.HandoffRequest.PatientCard;
import app.liuliang.handoff.Handoffs;
import app.liuliang.handoff.KfOutbox;
import app.liuliang.message.MessageRepository.StoredMessage;
import app.liuliang.message.MessageRules.IntentRule;
import app.liuliang.wecom.Outbox;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what one stored kf message leads to. Text: opt-out / resume words first; then every
 * matching intent tags the contact and raises its layer (any reply: at least potential); an intent
 * marked {@code handoff: doctor} goes to a doctor; else a confident FAQ match is answered at once;
 * else a doctor answers. While a person serves the session (a hand-off in progress) the bot only
 * records and tags. Events: the enter_session greeting, session end closes hand-offs. Every
 * action is keyed by the msgid, so handling a message again (after a crash) repeats nothing.
 */
final class PatientMessageHandler {

  private static final Logger log = LoggerFactory.getLogger(PatientMessageHandler.class);

  private final ContactProfile contacts;
  private final ReferralCodes referralCodes;
  private final app.liuliang.wecom.WeComClient wecom;
  private final MessageRepository messages;
  private final IntentMatcher intents;
  private final IntentMatcher redFlags;
  private final FaqMatcher faq;
  private final OptOutWords optOutWords;
  private final MessageRules rules;
  private final FaqLibrary library;
  private final Account assistant;
  private final String optedOutTag;
  private final KfOutbox kf;
  private final Outbox outbox;
  private final Handoffs handoffs;
  private final ObjectMapper json;
  private final MeterRegistry meters;

  PatientMessageHandler(ContactProfile contacts, MessageRepository messages, MessageRules rules, FaqLibrary library,
      Account assistant, String optedOutTag, KfOutbox kf, Outbox outbox, Handoffs handoffs, ObjectMapper json,
      MeterRegistry meters, ReferralCodes referralCodes, app.liuliang.wecom.WeComClient wecom) {
    this.referralCodes = referralCodes;
    this.wecom = wecom;
    this.contacts = contacts;
    this.messages = messages;
    this.intents = new IntentMatcher(rules.intents());
    this.redFlags = new IntentMatcher(rules.redFlags().flags().stream().map(MessageRules.RedFlag::asRule).toList());
    this.faq = new FaqMatcher(library);
    this.optOutWords = new OptOutWords(rules.optOut());
    this.rules = rules;
    this.library = library;
    this.assistant = assistant;
    this.optedOutTag = optedOutTag;
    this.kf = kf;
    this.outbox = outbox;
    this.handoffs = handoffs;
    this.json = json;
    this.meters = meters;
  }

  /** Handles one message; returns what it was (intent ids, faq:id, opt_out...), stored with it. */
  String handle(StoredMessage m) {
    contacts.ensureKnown(m.externalUserId(), "kf");
    if (m.origin() == 4) {
      return onEvent(m);
    }
    contacts.recordReply(m.externalUserId());
    if (!"text".equals(m.msgtype()) || m.content() == null || m.content().isBlank()) {
      // A photo or a voice note: a person has to look at it.
      handOff(m, "no_answer", null, null);
      return "non_text";
    }
    String outcome = switch (optOutWords.classify(m.content())) {
      case OPT_OUT -> optOut(m);
      case RESUME -> resume(m);
      case NOTHING -> null;
    };
    if (outcome != null) {
      return outcome;
    }
    List<IntentRule> matched = intents.match(m.content());
    for (IntentRule rule : matched) {
      if (rule.tag() != null) {
        contacts.tag(m.externalUserId(), rule.tag(), "intent");
      }
      if (rule.layer() != null) {
        contacts.raiseTo(m.externalUserId(), rule.layer(), "intent:" + rule.id());
      }
      meters.counter("liuliang.message.intents", "intent", rule.id()).increment();
    }
    String intentIds = matched.isEmpty() ? null : String.join(",", matched.stream().map(IntentRule::id).toList());
    Optional<IntentRule> redFlag = redFlags.match(m.content()).stream().findFirst();
    if (redFlag.isPresent()) {
      redFlag(m, redFlag.get().id(), matched);
      return intentIds == null ? "red_flag:" + redFlag.get().id() : intentIds + ",red_flag:" + redFlag.get().id();
    }
    if (handoffs.withStaff(m.externalUserId())) {
      return intentIds == null ? "with_staff" : intentIds + ",with_staff";
    }
    Optional<IntentRule> urgent = matched.stream().filter(IntentRule::handsOff).findFirst();
    if (urgent.isPresent()) {
      handOff(m, urgent.get().id(), urgent.get().specialty(), urgent.get().id());
      return intentIds;
    }
    Optional<IntentRule> referral = matched.stream().filter(IntentRule::asksForReferralCode).findFirst();
    if (referral.isPresent() && replyWithReferralCode(m, referral.get())) {
      return intentIds;
    }
    FaqMatcher.Match match = faq.match(m.content());
    if (match.confident()) {
      FaqLibrary.FaqEntry entry = match.best().orElseThrow();
      messages.jdbi().useTransaction(h -> kf.sendText(h, "faq:" + m.msgid(), "message.faq", m.externalUserId(),
          m.openKfId(), voice(entry.answer()), "faq:" + entry.id()));
      meters.counter("liuliang.message.faq", "entry", entry.id()).increment();
      log.info("kf message {} answered from faq {} (score {} vs {})", m.msgid(), entry.id(), match.score(), match.runnerUp());
      return intentIds == null ? "faq:" + entry.id() : intentIds + ",faq:" + entry.id();
    }
    String specialty = matched.stream().map(IntentRule::specialty).filter(s -> s != null).findFirst().orElse(null);
    handOff(m, matched.isEmpty() ? "no_answer" : "intent", specialty, intentIds);
    return intentIds == null ? "no_answer" : intentIds;
  }

  /**
   * The patient asked for their referral code: the intent's reply with it, then their QR as an image.
   * False when they have none to give (a kf customer who never added a staff member): the message
   * goes on to the FAQ and the staff like any other.
   */
  private boolean replyWithReferralCode(StoredMessage m, IntentRule rule) {
    Optional<ReferralCodes.PersonalCode> code = referralCodes.forPatient(m.externalUserId());
    if (code.isEmpty()) {
      return false;
    }
    String mediaId = uploadQr(code.get().qrPng());
    String text = rule.referralReply().replace("{referral_code}", code.get().referralCode());
    messages.jdbi().useTransaction(h -> {
      kf.sendText(h, "referral:" + m.msgid(), "message.referral", m.externalUserId(), m.openKfId(), text, rule.id());
      kf.sendImage(h, "referral-qr:" + m.msgid(), "message.referral", m.externalUserId(), m.openKfId(), mediaId, rule.id());
    });
    meters.counter("liuliang.message.referral_codes_sent").increment();
    log.info("kf message {} answered with the patient's referral code", m.msgid());
    return true;
  }

  /** media/upload of the QR image (valid 3 days; the reply goes out within minutes). */
  private String uploadQr(byte[] png) {
    try {
      return wecom.uploadImage("referral-qr", png);
    } catch (app.liuliang.wecom.WeComApiException e) {
      // The inbox retries the whole message; the text and image keys make that safe.
      throw new IllegalStateException("referral QR not uploaded: " + e.getMessage(), e);
    }
  }

  private String optOut(StoredMessage m) {
    boolean already = contacts.summary(m.externalUserId()).map(ContactProfile.Summary::optedOut).orElse(false);
    contacts.setOptedOut(m.externalUserId(), true);
    contacts.tag(m.externalUserId(), optedOutTag, "auto");
    int cancelled = outbox.cancelPendingFor(m.externalUserId(), "patient opted out");
    if (!already) {
      messages.jdbi().useTransaction(h -> kf.sendText(h, "optout:" + m.msgid(), "message.opt_out", m.externalUserId(),
          m.openKfId(), rules.optOut().confirm(), "opt_out"));
    }
    meters.counter("liuliang.message.opt_outs").increment();
    log.info("kf message {}: contact {} opted out, {} pending sends cancelled", m.msgid(), m.externalUserId(), cancelled);
    return "opt_out";
  }

  private String resume(StoredMessage m) {
    boolean optedOut = contacts.summary(m.externalUserId()).map(ContactProfile.Summary::optedOut).orElse(false);
    if (optedOut) {
      contacts.setOptedOut(m.externalUserId(), false);
      contacts.untag(m.externalUserId(), optedOutTag);
      messages.jdbi().useTransaction(h -> kf.sendText(h, "resume:" + m.msgid(), "message.resume", m.externalUserId(),
          m.openKfId(), rules.optOut().resumeConfirm(), "resume"));
      log.info("kf message {}: contact {} resumed", m.msgid(), m.externalUserId());
    }
    return "resume";
  }

  private String onEvent(StoredMessage m) {
    JsonNode event;
    try {
      event = json.readTree(m.content() == null ? "{}" : m.content());
    } catch (IOException e) {
      return "event:unreadable";
    }
    String type = event.path("event_type").asText("");
    if ("enter_session".equals(type) && !event.path("welcome_code").asText("").isEmpty()) {
      messages.jdbi().useTransaction(h -> kf.greet(h, "kf-greet:" + m.msgid(), m.externalUserId(),
          event.path("welcome_code").asText(), voice(library.greeting())));
    } else if ("session_status_change".equals(type) && event.path("change_type").asInt() == 3) {
      handoffs.closeFor(m.externalUserId());
    }
    return "event:" + type;
  }

  /** At once, at any hour: the approved safety text and the emergency phone, the on-call doctor told, a hand-off. */
  private void redFlag(StoredMessage m, String flagId, List<IntentRule> matched) {
    MessageRules.RedFlags flags = rules.redFlags();
    MessageRules.RedFlag flag = flags.flags().stream().filter(f -> f.id().equals(flagId)).findFirst().orElseThrow();
    String text = voice(flags.line().replace("{instructions}", flag.instructions())
        .replace("{phone}", flags.emergencyPhone() == null ? "" : flags.emergencyPhone()));
    String specialty = matched.stream().map(IntentRule::specialty).filter(s -> s != null).findFirst().orElse(null);
    Handoffs.Outcome outcome = handoffs.openRedFlag(request(m, "pain", specialty, "red_flag:" + flagId), flagId, flag.name(),
        text);
    meters.counter("liuliang.message.handoffs", "reason", "red_flag", "outcome", outcome.name().toLowerCase()).increment();
    log.info("kf message {} raised red flag {}: {}", m.msgid(), flagId, outcome);
  }

  private HandoffRequest request(StoredMessage m, String reason, String specialty, String intent) {
    ContactProfile.Summary who = contacts.summary(m.externalUserId())
        .orElse(new ContactProfile.Summary(m.externalUserId(), "", "stranger", List.of(), false));
    PatientCard card = new PatientCard(who.name(), who.layer(), who.tags(),
        messages.recentTexts(m.externalUserId(), rules.handoff().recentMessages()));
    return new HandoffRequest(m.msgid(), m.externalUserId(), m.openKfId(), contacts.followers(m.externalUserId()),
        specialty, reason, intent, card);
  }

  private void handOff(StoredMessage m, String reason, String specialty, String intent) {
    Handoffs.Outcome outcome = handoffs.open(request(m, reason, specialty, intent));
    meters.counter("liuliang.message.handoffs", "reason", reason, "outcome", outcome.name().toLowerCase()).increment();
    log.info("kf message {} handed off ({}): {}", m.msgid(), reason, outcome);
  }

  private String voice(String text) {
    return text.replace("{assistant}", assistant.nickname()).replace("{role}", assistant.role() == null ? "" : assistant.role());
  }
}
