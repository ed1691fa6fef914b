package app.liuliang.contact;

import app.liuliang.config.Problems;
import app.liuliang.config.YamlDocument;
import app.liuliang.config.YamlReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code config/referral.yaml}: optional, every key has a default.
 *
 * @param personalCode when patients get their personal referral code, and when it goes
 * @param programme    what counts as a referral, the reward tiers and what referrers are told
 */
public record ReferralSettings(PersonalCode personalCode, Programme programme) {

  public static final String FILE = "referral.yaml";
  /** WeCom's ceiling of API-made 「联系我」 codes per corp (shared with group join codes). */
  public static final int CORP_QUOTA = 500_000;

  /**
   * @param fromLayer         a patient reaching this layer gets their code (default ordered)
   * @param deleteAfterLost   a lost patient's code is deleted this long after they left (P30D)
   * @param quotaAlertPercent admins hear when the corp's codes reach this share of the quota (80)
   */
  public record PersonalCode(String fromLayer, Duration deleteAfterLost, Integer quotaAlertPercent) {
    public PersonalCode {
      fromLayer = fromLayer == null ? "ordered" : fromLayer;
      deleteAfterLost = deleteAfterLost == null ? Duration.ofDays(30) : deleteAfterLost;
      quotaAlertPercent = quotaAlertPercent == null ? 80 : quotaAlertPercent;
    }
  }

  /**
   * 老带新 / 拉新有礼.
   *
   * @param countsAfter   a friend counts once still a contact this long after adding (P3D)
   * @param requiresVisit a friend counts only after a first visit ({@code POST /api/events}, type visit)
   * @param tiers         rewards by counted friends, e.g. 1 → 洁牙券, 3 → 免费涂氟
   * @param progressText  what a referrer hears for a counted friend below the next tier; {@code {friend}},
   *                      {@code {count}}, {@code {remaining}}, {@code {next_reward}}
   */
  public record Programme(Duration countsAfter, Boolean requiresVisit, List<Tier> tiers, String progressText) {
    public Programme {
      countsAfter = countsAfter == null ? Duration.ofDays(3) : countsAfter;
      requiresVisit = requiresVisit != null && requiresVisit;
      tiers = tiers == null ? List.of() : tiers.stream().sorted(java.util.Comparator.comparing(Tier::friends)).toList();
      progressText = progressText == null
          ? "您推荐的朋友{friend}已添加我们，谢谢您的信任～再邀请 {remaining} 位朋友，可得「{next_reward}」。" : progressText;
    }

    /** The tier reached at exactly {@code friends} counted friends, if any. */
    public java.util.Optional<Tier> reachedAt(int friends) {
      return tiers.stream().filter(t -> t.friends() == friends).findFirst();
    }

    /** The next tier above {@code friends}, if any. */
    public java.util.Optional<Tier> next(int friends) {
      return tiers.stream().filter(t -> t.friends() > friends).findFirst();
    }
  }

  /** A reward for {@code friends} counted friends; {@code text} is what the referrer is sent. */
  public record Tier(Integer friends, String reward, String text) {
  }

  public ReferralSettings {
    personalCode = personalCode == null ? new PersonalCode(null, null, null) : personalCode;
    programme = programme == null ? new Programme(null, null, null, null) : programme;
  }

  /** The file when present, else the defaults; null when it has problems. */
  public static ReferralSettings load(Path configDir, YamlReader yaml, Problems problems) {
    Path file = configDir.resolve(FILE);
    if (!Files.exists(file)) {
      return new ReferralSettings(null, null);
    }
    YamlDocument<ReferralSettings> doc = yaml.read(file, ReferralSettings.class, problems);
    if (!doc.isValid()) {
      return null;
    }
    PersonalCode code = doc.value().personalCode();
    Problems found = new Problems();
    if (!TagCatalog.LAYERS.contains(code.fromLayer())) {
      found.add(doc.problem("/personal_code/from_layer", "unknown layer \"" + code.fromLayer() + "\"",
          "layers: " + TagCatalog.LAYERS));
    }
    if (code.deleteAfterLost().isNegative()) {
      found.add(doc.problem("/personal_code/delete_after_lost", "delete_after_lost must not be negative", "e.g. P30D"));
    }
    if (code.quotaAlertPercent() < 1 || code.quotaAlertPercent() > 100) {
      found.add(doc.problem("/personal_code/quota_alert_percent", "quota_alert_percent must be 1..100, was "
          + code.quotaAlertPercent(), ""));
    }
    Programme programme = doc.value().programme();
    java.util.Set<Integer> seen = new java.util.HashSet<>();
    List<Tier> declared = doc.value().programme().tiers();
    for (int i = 0; i < declared.size(); i++) {
      Tier tier = declared.get(i);
      String at = "/programme/tiers/" + i;
      if (tier.friends() == null || tier.friends() < 1) {
        found.add(doc.problem(at + "/friends", "friends must be at least 1", "e.g. friends: 3"));
      } else if (!seen.add(tier.friends())) {
        found.add(doc.problem(at + "/friends", "two tiers for " + tier.friends() + " friends", "one reward per count"));
      }
      if (tier.reward() == null || tier.reward().isBlank() || tier.text() == null || tier.text().isBlank()) {
        found.add(doc.problem(at, "a tier needs a reward and a text", "e.g. reward: 洁牙券, text: 送您一张洁牙券…"));
      } else {
        app.liuliang.config.SentTexts.checkWording(doc, at + "/text", tier.text(), found);
      }
    }
    if (programme.countsAfter().isNegative()) {
      found.add(doc.problem("/programme/counts_after", "counts_after must not be negative", "e.g. P3D"));
    }
    problems.addAll(found);
    return found.isEmpty() ? doc.value() : null;
  }
}
