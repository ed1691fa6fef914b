package app.liuliang.sop;

import app.liuliang.account.Accounts;
import app.liuliang.config.Problems;
import app.liuliang.config.YamlDocument;
import app.liuliang.contact.TagCatalog;
import app.liuliang.sop.WeekPlan.Attachment;
import app.liuliang.sop.WeekPlan.Audience;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * The checks every SOP file shares (week plans, campaigns, journeys, recalls): known accounts,
 * tags and layers, WeCom's text and attachment limits, media files that exist.
 */
final class ContentRules {

  static final int MOMENT_TEXT_CHARS = 2000;
  static final int TEMPLATE_TEXT_BYTES = 4000;
  static final int MAX_ATTACHMENTS = 9;

  private final Accounts accounts;
  private final TagCatalog tags;
  private final Path configDir;
  private final Set<String> groupCategories;

  /** Without the customer-group categories: category names are not checked. */
  ContentRules(Accounts accounts, TagCatalog tags, Path configDir) {
    this(accounts, tags, configDir, null);
  }

  /** @param groupCategories the category names of groups.yaml; null when that file did not load */
  ContentRules(Accounts accounts, TagCatalog tags, Path configDir, Set<String> groupCategories) {
    this.accounts = accounts;
    this.tags = tags;
    this.configDir = configDir;
    this.groupCategories = groupCategories;
  }

  void groupCategories(YamlDocument<?> doc, String at, List<String> names, Problems problems) {
    for (int i = 0; i < names.size(); i++) {
      if (groupCategories != null && !groupCategories.contains(names.get(i))) {
        problems.add(doc.problem(at + "/" + i, "unknown group category \"" + names.get(i) + "\"",
            "known categories: " + String.join(", ", new java.util.TreeSet<>(groupCategories)) + " (config/groups.yaml)"));
      }
    }
  }

  Path configDir() {
    return configDir;
  }

  void accounts(YamlDocument<?> doc, String at, List<String> ids, Problems problems) {
    for (int i = 0; i < ids.size(); i++) {
      if (accounts != null && accounts.find(ids.get(i)).isEmpty()) {
        problems.add(doc.problem(at + "/" + i, "unknown account \"" + ids.get(i) + "\"",
            "known accounts: " + accounts.ids() + " (config/accounts.yaml)"));
      }
    }
  }

  void audience(YamlDocument<?> doc, String at, Audience audience, Problems problems) {
    if (audience == null) {
      return;
    }
    tagList(doc, at + "/tags", audience.tags(), problems);
    tagList(doc, at + "/exclude_tags", audience.excludeTags(), problems);
    for (int i = 0; i < audience.layers().size(); i++) {
      if (!TagCatalog.LAYERS.contains(audience.layers().get(i))) {
        problems.add(doc.problem(at + "/layers/" + i, "unknown layer \"" + audience.layers().get(i) + "\"",
            "layers: " + String.join(", ", TagCatalog.LAYERS)));
      }
    }
  }

  private void tagList(YamlDocument<?> doc, String at, List<String> names, Problems problems) {
    for (int i = 0; i < names.size(); i++) {
      if (tags != null && !tags.contains(names.get(i))) {
        problems.add(doc.problem(at + "/" + i, "unknown tag \"" + names.get(i) + "\"",
            "add it to config/tags.yaml, or use one of its tags"));
      }
    }
  }

  /** A journey step's placeholder for the patient's referral QR (an image attachment). */
  static final String REFERRAL_QR = "{referral_qr}";
  private static final java.util.regex.Pattern PATIENT_PLACEHOLDER =
      java.util.regex.Pattern.compile("\\{(referral_code|referral_qr)}");

  /**
   * A journey step's text: one message per patient, so it may also use {@code {referral_code}} and
   * {@code {referral_qr}} (their own code, and its QR as an image attachment).
   */
  void personalText(YamlDocument<?> doc, String at, String text, boolean hasAttachments, Problems problems) {
    String checked = text == null ? null : PATIENT_PLACEHOLDER.matcher(text).replaceAll("");
    text(doc, at, checked, SopItem.PERSONAL, hasAttachments || (text != null && text.contains(REFERRAL_QR)), problems);
  }

  /** {@code {name}} everywhere, {@code {remaining}} in a campaign's countdown; the rest are checked where they work. */
  private static final java.util.Set<String> PLACEHOLDERS = java.util.Set.of("name", "remaining", "referral_code",
      "referral_qr");

  /** Moments count characters (≤2000); message templates count UTF-8 bytes (≤4000). */
  void text(YamlDocument<?> doc, String at, String text, String channel, boolean hasAttachments, Problems problems) {
    app.liuliang.config.SentTexts.check(doc, at + "/text", text, PLACEHOLDERS,
        "texts can use {name}; campaigns {remaining}; journeys {referral_code} {referral_qr}; 1:1 texts "
            + "{group_qr:<category>} {group_link:<category>}", problems);
    if (text != null && PATIENT_PLACEHOLDER.matcher(text).find()) {
      problems.add(doc.problem(at + "/text", "{referral_code} and {referral_qr} work only in journeys.yaml",
          "a plan's text goes to many patients at once; a journey step is sent to each patient alone"));
    }
    if (text != null && !SopItem.PERSONAL.equals(channel) && app.liuliang.contact.GroupOffers.OFFER.matcher(text).find()) {
      problems.add(doc.problem(at + "/text", "{group_qr:…} and {group_link:…} work in 1:1 texts (personal items, "
          + "journeys, welcomes)", "a Moment or a group post cannot carry a group offer"));
    }
    if (text != null && SopItem.PERSONAL.equals(channel)) {
      java.util.regex.Matcher offer = app.liuliang.contact.GroupOffers.OFFER.matcher(text);
      while (offer.find()) {
        if (groupCategories != null && !groupCategories.contains(offer.group(2))) {
          problems.add(doc.problem(at + "/text", "unknown group category \"" + offer.group(2) + "\" in {" + offer.group(1)
              + ":…}", "known categories: " + String.join(", ", new java.util.TreeSet<>(groupCategories))
              + " (config/groups.yaml)"));
        }
      }
      text = app.liuliang.contact.GroupOffers.OFFER.matcher(text).replaceAll("");
      hasAttachments = hasAttachments || text.isBlank();
    }
    if (text == null || text.isBlank()) {
      if (!hasAttachments) {
        problems.add(doc.problem(at, "no text and no attachments", "write the text: under this item"));
      }
      return;
    }
    if (SopItem.MOMENT.equals(channel)) {
      int chars = text.codePointCount(0, text.length());
      if (chars > MOMENT_TEXT_CHARS) {
        problems.add(doc.problem(at + "/text", "text is " + chars + " characters, Moments allow " + MOMENT_TEXT_CHARS,
            "shorten it by " + (chars - MOMENT_TEXT_CHARS) + " characters"));
      }
    } else {
      int bytes = text.getBytes(StandardCharsets.UTF_8).length;
      if (bytes > TEMPLATE_TEXT_BYTES) {
        problems.add(doc.problem(at + "/text", "text is " + bytes + " bytes, WeCom allows " + TEMPLATE_TEXT_BYTES,
            "a Chinese character is 3 bytes: keep it under about 1300 characters"));
      }
    }
  }

  void attachments(YamlDocument<?> doc, String at, List<Attachment> list, String channel, Problems problems) {
    for (int i = 0; i < list.size(); i++) {
      Attachment a = list.get(i);
      String here = at + "/" + i;
      if (a.kinds() != 1) {
        problems.add(doc.problem(here, "an attachment is exactly one of image, link, miniprogram, video",
            "write - {image: media/x.jpg} or - {link: {title: ..., url: ...}}"));
        continue;
      }
      media(doc, here + "/image", a.image(), problems);
      media(doc, here + "/video", a.video(), problems);
      if (a.link() != null) {
        if (a.link().url() == null || a.link().title() == null) {
          problems.add(doc.problem(here + "/link", "a link needs title and url", ""));
        } else if (a.link().title().getBytes(StandardCharsets.UTF_8).length > (SopItem.MOMENT.equals(channel) ? 64 : 128)) {
          problems.add(doc.problem(here + "/link/title", "link title is too long for WeCom",
              SopItem.MOMENT.equals(channel) ? "Moments: 64 bytes (about 21 Chinese characters)" : "128 bytes"));
        }
        if (a.link().picurl() != null && !a.link().picurl().startsWith("http")) {
          media(doc, here + "/link/picurl", a.link().picurl(), problems);
        }
      }
      if (a.miniprogram() != null) {
        if (SopItem.MOMENT.equals(channel)) {
          problems.add(doc.problem(here + "/miniprogram", "Moments cannot carry a mini program",
              "use a link, up to 9 images, or one video"));
        } else if (a.miniprogram().appid() == null || a.miniprogram().page() == null || a.miniprogram().pic() == null) {
          problems.add(doc.problem(here + "/miniprogram", "a mini program needs title, appid, page and pic", ""));
        } else {
          media(doc, here + "/miniprogram/pic", a.miniprogram().pic(), problems);
        }
      }
    }
    count(doc, at, list, channel, problems);
  }

  private static void count(YamlDocument<?> doc, String at, List<Attachment> list, String channel, Problems problems) {
    if (!SopItem.MOMENT.equals(channel)) {
      if (list.size() > MAX_ATTACHMENTS) {
        problems.add(doc.problem(at + "/" + MAX_ATTACHMENTS, list.size() + " attachments, WeCom allows " + MAX_ATTACHMENTS,
            "split the item in two"));
      }
      return;
    }
    long images = list.stream().filter(a -> a.image() != null).count();
    long videos = list.stream().filter(a -> a.video() != null).count();
    long links = list.stream().filter(a -> a.link() != null).count();
    boolean ok = (images <= MAX_ATTACHMENTS && videos == 0 && links == 0)
        || (list.size() == 1 && (videos == 1 || links == 1));
    if (!ok) {
      int index = images > MAX_ATTACHMENTS ? MAX_ATTACHMENTS : list.size() - 1;
      problems.add(doc.problem(at + "/" + index, "too many attachments for a Moment (" + images + " images, "
          + videos + " videos, " + links + " links)", "a Moment carries up to 9 images, or 1 video, or 1 link"));
    }
  }

  private void media(YamlDocument<?> doc, String at, String path, Problems problems) {
    if (path == null) {
      return;
    }
    Path file = configDir.resolve(path).normalize();
    if (!file.startsWith(configDir.normalize()) || !Files.isRegularFile(file)) {
      problems.add(doc.problem(at, "media file not found: " + path,
          "paths are relative to the config folder (" + configDir + "), e.g. media/case.jpg"));
    }
  }
}
