package app.liuliang.message;

import app.liuliang.account.Accounts;
import app.liuliang.config.Levenshtein;
import app.liuliang.config.SentTexts;
import app.liuliang.config.Problems;
import app.liuliang.config.YamlDocument;
import app.liuliang.config.YamlReader;
import app.liuliang.contact.TagCatalog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code config/intents.yaml}: intent rules, opt-out words, hand-off timing and message retention.
 *
 * @param intents       rules tried in order; every matching rule applies its tag and layer
 * @param optOut        opt-out and resume words with their confirmations
 * @param handoff       claim timeout and the lines patients see
 * @param retentionDays messages older than this are purged daily (default 180)
 */
public record MessageRules(List<IntentRule> intents, OptOut optOut, HandoffSettings handoff, Integer retentionDays,
    RedFlags redFlags) {

  public static final String FILE = "intents.yaml";

  /**
   * One intent.
   *
   * @param id        e.g. implant, pain
   * @param keywords  substrings (case-insensitive) that match
   * @param patterns  regular expressions that match
   * @param tag       corp tag to put on the contact (must be in tags.yaml), optional
   * @param layer     the contact is raised at least to this layer, optional
   * @param handoff   {@code doctor}: always hand off, never answer automatically
   * @param specialty doctor specialty used to choose who answers, optional
   * @param line      which hand-off line the patient gets ({@link #LINE_KINDS}); by default
   *                  {@code medical} for {@code handoff: doctor}, else {@code sales}
   * @param referralReply the patient asks for their personal referral code: this text answers (with
   *                  {@code {referral_code}} filled in) and their QR code follows as an image, optional
   */
  public record IntentRule(String id, List<String> keywords, List<String> patterns, String tag, String layer,
      String handoff, String specialty, String line, String referralReply) {
    public IntentRule {
      keywords = keywords == null ? List.of() : List.copyOf(keywords);
      patterns = patterns == null ? List.of() : List.copyOf(patterns);
    }

    public boolean handsOff() {
      return "doctor".equals(handoff);
    }

    public boolean asksForReferralCode() {
      return referralReply != null;
    }

    public String lineKind() {
      return line != null ? line : handsOff() ? "medical" : "sales";
    }
  }

  /** The kinds of hand-off lines, by what the patient asked. */
  public static final List<String> LINE_KINDS = List.of("sales", "medical", "complaint", "pain");

  /**
   * What the patient is told on a hand-off: {@code now} when the doctor is at work, {@code out_of_hours}
   * when not. {@code {doctor}} {@code {role}} {@code {minutes}} {@code {hours}} are filled in.
   */
  public record Lines(String now, String outOfHours) {
  }

  /**
   * Red flags: messages that get the approved safety instructions and the clinic's emergency phone at
   * once, at any hour, and a notice to the on-call doctor ({@code on_call} in accounts.yaml).
   *
   * @param line {@code {instructions}} {@code {phone}} {@code {doctor}} are filled in
   */
  public record RedFlags(String emergencyPhone, String line, List<RedFlag> flags) {
    public RedFlags {
      flags = flags == null ? List.of() : List.copyOf(flags);
      line = line == null ? "{instructions}\n如情况紧急，请立即拨打诊所急诊电话 {phone}，或尽快到就近医院急诊。{doctor}已收到通知，会尽快联系您。" : line;
    }
  }

  /** One red flag: words or patterns, and the safety instructions a doctor approved; {@code name} for staff. */
  public record RedFlag(String id, String name, List<String> keywords, List<String> patterns, String instructions) {
    public RedFlag {
      keywords = keywords == null ? List.of() : List.copyOf(keywords);
      patterns = patterns == null ? List.of() : List.copyOf(patterns);
      name = name == null || name.isBlank() ? id : name;
    }

    IntentRule asRule() {
      return new IntentRule(id, keywords, patterns, null, null, null, null, null, null);
    }
  }



  /** Opt-out and resume words; a message containing one of them is an opt-out (or resume). */
  public record OptOut(List<String> words, List<String> resumeWords, String confirm, String resumeConfirm) {
    public OptOut {
      words = words == null ? List.of("退订", "TD", "不要再发") : List.copyOf(words);
      resumeWords = resumeWords == null ? List.of("恢复订阅") : List.copyOf(resumeWords);
      confirm = confirm == null ? "好的，已为您退订，之后不会再推送消息。回复「恢复订阅」可重新接收。" : confirm;
      resumeConfirm = resumeConfirm == null ? "已为您恢复订阅。" : resumeConfirm;
    }
  }

  /**
   * Hand-off timing and texts. {@code {doctor}}, {@code {role}}, {@code {minutes}}, {@code {hours}}
   * are filled in.
   */
  public record HandoffSettings(Duration claimTimeout, Duration checkEvery, Integer recentMessages,
      String patientLine, String outOfHoursLine, java.util.Map<String, Lines> lines, Duration acknowledgeEvery,
      String acknowledgeLine) {
    public HandoffSettings {
      lines = lines == null ? java.util.Map.of() : java.util.Map.copyOf(lines);
      acknowledgeEvery = acknowledgeEvery == null ? Duration.ofMinutes(30) : acknowledgeEvery;
      acknowledgeLine = acknowledgeLine == null ? "收到您的消息，已转给{doctor}，{doctor}会尽快回复您。" : acknowledgeLine;
      claimTimeout = claimTimeout == null ? Duration.ofMinutes(10) : claimTimeout;
      checkEvery = checkEvery == null ? Duration.ofSeconds(30) : checkEvery;
      recentMessages = recentMessages == null ? 3 : recentMessages;
      patientLine = patientLine == null ? "{doctor}会亲自回复您，大约 {minutes} 分钟内，请稍等～" : patientLine;
      outOfHoursLine = outOfHoursLine == null ? "{doctor}的接诊时间是{hours}，上班后会第一时间回复您。" : outOfHoursLine;
    }
  }

  public MessageRules {
    intents = intents == null ? List.of() : List.copyOf(intents);
    optOut = optOut == null ? new OptOut(null, null, null, null) : optOut;
    handoff = handoff == null ? new HandoffSettings(null, null, null, null, null, null, null, null) : handoff;
    redFlags = redFlags == null ? new RedFlags(null, null, null) : redFlags;
    retentionDays = retentionDays == null ? 180 : retentionDays;
  }

  /** Loads and checks the file against tags and accounts; null when it has problems. */
  public static MessageRules load(Path configDir, YamlReader yaml, TagCatalog tags, Accounts accounts,
      Problems problems) {
    YamlDocument<MessageRules> doc = yaml.read(configDir.resolve(FILE), MessageRules.class, problems);
    if (!doc.isValid()) {
      return null;
    }
    Problems found = new Problems();
    doc.value().check(doc, tags, accounts, found);
    problems.addAll(found);
    return found.isEmpty() ? doc.value() : null;
  }

  private static Optional<String> closestTag(TagCatalog tags, String tag) {
    return tags.groups().stream().flatMap(g -> g.tags().stream())
        .filter(t -> Levenshtein.distance(t, tag) <= 2)
        .min(Comparator.comparingInt(t -> Levenshtein.distance(t, tag)));
  }

  private void check(YamlDocument<MessageRules> doc, TagCatalog tags, Accounts accounts, Problems problems) {
    Set<String> ids = new HashSet<>();
    Set<String> specialties = new HashSet<>();
    if (accounts != null) {
      accounts.doctors().forEach(d -> specialties.addAll(d.specialties()));
    }
    for (int i = 0; i < intents.size(); i++) {
      IntentRule rule = intents.get(i);
      String at = "/intents/" + i;
      if (rule.id() == null || rule.id().isBlank()) {
        problems.add(doc.problem(at, "intent without an id", "e.g. id: implant"));
      } else if (!ids.add(rule.id())) {
        problems.add(doc.problem(at + "/id", "duplicate intent id \"" + rule.id() + "\"", "each id appears once"));
      }
      if (rule.keywords().isEmpty() && rule.patterns().isEmpty()) {
        problems.add(doc.problem(at, "intent \"" + rule.id() + "\" has no keywords and no patterns", "add keywords: [...]"));
      }
      for (int k = 0; k < rule.keywords().size(); k++) {
        if (rule.keywords().get(k) == null || rule.keywords().get(k).isBlank()) {
          problems.add(doc.problem(at + "/keywords/" + k, "empty keyword", "it would match every message"));
        }
      }
      for (int p = 0; p < rule.patterns().size(); p++) {
        try {
          Pattern.compile(rule.patterns().get(p));
        } catch (PatternSyntaxException e) {
          problems.add(doc.problem(at + "/patterns/" + p, "invalid pattern: " + e.getDescription(),
              "a Java regular expression, e.g. \"(种|植)牙\""));
        }
      }
      if (rule.tag() != null && tags != null && !tags.contains(rule.tag())) {
        problems.add(doc.problem(at + "/tag", "unknown tag \"" + rule.tag() + "\"", closestTag(tags, rule.tag())
            .map(t -> "did you mean \"" + t + "\"? ").orElse("") + "tags must be in a group of tags.yaml"));
      }
      if (rule.layer() != null && !TagCatalog.LAYERS.contains(rule.layer())) {
        problems.add(doc.problem(at + "/layer", "unknown layer \"" + rule.layer() + "\"", "layers: " + TagCatalog.LAYERS));
      }
      if (rule.handoff() != null && !rule.handsOff()) {
        problems.add(doc.problem(at + "/handoff", "handoff must be \"doctor\", was \"" + rule.handoff() + "\"",
            "leave it out to let the FAQ answer"));
      }
      if (rule.referralReply() != null) {
        SentTexts.check(doc, at + "/referral_reply", rule.referralReply(), Set.of("referral_code"),
            "a referral reply can use {referral_code}; the QR code is sent after it as an image", problems);
        if (rule.handsOff()) {
          problems.add(doc.problem(at + "/referral_reply", "an intent cannot both hand off and answer with a referral code",
              "leave out handoff: or referral_reply:"));
        }
      }
      if (rule.line() != null && !LINE_KINDS.contains(rule.line())) {
        problems.add(doc.problem(at + "/line", "unknown line \"" + rule.line() + "\"", "lines: " + LINE_KINDS));
      }
      if (rule.specialty() != null && accounts != null && !specialties.contains(rule.specialty())) {
        problems.add(doc.problem(at + "/specialty", "no doctor has specialty \"" + rule.specialty() + "\"",
            "specialties in accounts.yaml: " + specialties.stream().sorted().toList()));
      }
    }
    if (optOut.words().stream().anyMatch(w -> w == null || w.isBlank())) {
      problems.add(doc.problem("/opt_out/words", "empty opt-out word", "it would opt out every patient"));
    }
    if (handoff.claimTimeout().isNegative() || handoff.claimTimeout().isZero()) {
      problems.add(doc.problem("/handoff/claim_timeout", "claim_timeout must be positive", "e.g. PT10M"));
    }
    if (handoff.checkEvery().toMillis() < 1000) {
      problems.add(doc.problem("/handoff/check_every", "check_every must be at least PT1S", "e.g. PT30S"));
    }
    if (handoff.recentMessages() < 0 || handoff.recentMessages() > 10) {
      problems.add(doc.problem("/handoff/recent_messages", "recent_messages must be 0..10", ""));
    }
    checkLines(doc, problems);
    checkRedFlags(doc, problems);
    if (retentionDays < 1) {
      problems.add(doc.problem("/retention_days", "retention_days must be at least 1, was " + retentionDays, ""));
    }
  }

  /** What a hand-off line may say: the doctor, their role, the wait, their hours, and the assistant. */
  private static final Set<String> LINE_PLACEHOLDERS = Set.of("doctor", "role", "minutes", "hours", "assistant");
  private static final Set<String> RED_FLAG_PLACEHOLDERS = Set.of("instructions", "phone", "doctor", "assistant", "role");

  /** Every {placeholder} in the text must be one the sender fills in. */
  private static void checkPlaceholders(YamlDocument<MessageRules> doc, String at, String text, Set<String> allowed,
      Problems problems) {
    SentTexts.check(doc, at, text, allowed,
        "this text can use " + allowed.stream().sorted().map(p -> "{" + p + "}").toList(), problems);
  }

  private void checkLines(YamlDocument<MessageRules> doc, Problems problems) {
    handoff.lines().forEach((kind, lines) -> {
      String at = "/handoff/lines/" + kind;
      if (!LINE_KINDS.contains(kind)) {
        problems.add(doc.problem(at, "unknown line kind \"" + kind + "\"", "kinds: " + LINE_KINDS));
      } else if (lines == null || blank(lines.now()) || blank(lines.outOfHours())) {
        problems.add(doc.problem(at, "line \"" + kind + "\" needs both now and out_of_hours", ""));
      } else {
        checkPlaceholders(doc, at + "/now", lines.now(), LINE_PLACEHOLDERS, problems);
        checkPlaceholders(doc, at + "/out_of_hours", lines.outOfHours(), LINE_PLACEHOLDERS, problems);
      }
    });
    checkPlaceholders(doc, "/handoff/patient_line", handoff.patientLine(), LINE_PLACEHOLDERS, problems);
    checkPlaceholders(doc, "/handoff/out_of_hours_line", handoff.outOfHoursLine(), LINE_PLACEHOLDERS, problems);
    checkPlaceholders(doc, "/handoff/acknowledge_line", handoff.acknowledgeLine(), LINE_PLACEHOLDERS, problems);
    checkPlaceholders(doc, "/red_flags/line", redFlags.line(), RED_FLAG_PLACEHOLDERS, problems);
    if (handoff.acknowledgeEvery().toMinutes() < 1) {
      problems.add(doc.problem("/handoff/acknowledge_every", "acknowledge_every must be at least PT1M", "e.g. PT30M"));
    }
  }

  private void checkRedFlags(YamlDocument<MessageRules> doc, Problems problems) {
    if (!redFlags.flags().isEmpty() && blank(redFlags.emergencyPhone())) {
      problems.add(doc.problem("/red_flags", "red flags need the clinic's emergency_phone", "e.g. emergency_phone: 0571-88886666"));
    }
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < redFlags.flags().size(); i++) {
      RedFlag flag = redFlags.flags().get(i);
      String at = "/red_flags/flags/" + i;
      if (blank(flag.id()) || !ids.add(flag.id())) {
        problems.add(doc.problem(at, "red flag without an id, or a duplicate one", "e.g. id: bleeding"));
      }
      if (flag.keywords().isEmpty() && flag.patterns().isEmpty()) {
        problems.add(doc.problem(at, "red flag \"" + flag.id() + "\" has no keywords and no patterns", ""));
      }
      if (flag.keywords().stream().anyMatch(MessageRules::blank)) {
        problems.add(doc.problem(at + "/keywords", "empty keyword", "it would match every message"));
      }
      for (int p = 0; p < flag.patterns().size(); p++) {
        try {
          Pattern.compile(flag.patterns().get(p));
        } catch (PatternSyntaxException e) {
          problems.add(doc.problem(at + "/patterns/" + p, "invalid pattern: " + e.getDescription(), ""));
        }
      }
      if (blank(flag.instructions())) {
        problems.add(doc.problem(at + "/instructions", "red flag \"" + flag.id() + "\" has no safety instructions",
            "the text a doctor approved, sent to the patient at once"));
      } else {
        SentTexts.checkWording(doc, at + "/instructions", flag.instructions(), problems);
      }
    }
  }

  private static boolean blank(String text) {
    return text == null || text.isBlank();
  }
}
