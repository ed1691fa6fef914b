package app.liuliang.channel;

import app.liuliang.config.Problems;
import app.liuliang.config.YamlDocument;
import app.liuliang.config.YamlReader;
import app.liuliang.contact.TagCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code config/referral.yaml}: optional, every key has a default.
 *
 * @param personalCode when patients get their personal referral code, and when it goes
 */
public record ReferralSettings(PersonalCode personalCode) {

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

  public ReferralSettings {
    personalCode = personalCode == null ? new PersonalCode(null, null, null) : personalCode;
  }

  /** The file when present, else the defaults; null when it has problems. */
  public static ReferralSettings load(Path configDir, YamlReader yaml, Problems problems) {
    Path file = configDir.resolve(FILE);
    if (!Files.exists(file)) {
      return new ReferralSettings(null);
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
    problems.addAll(found);
    return found.isEmpty() ? doc.value() : null;
  }
}
