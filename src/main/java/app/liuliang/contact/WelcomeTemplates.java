package app.liuliang.contact;

import app.liuliang.account.Account;
import app.liuliang.account.Accounts;
import app.liuliang.config.ConfigProblem;
import app.liuliang.config.Problems;
import app.liuliang.config.YamlDocument;
import app.liuliang.config.YamlReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.stream.Stream;

/**
 * Every welcome template in {@code config/welcome/*.yaml}, checked like a compiler would: unknown
 * placeholders, channels or personas, too many attachments, texts over WeCom's byte limits, and a
 * missing default ({@code unknown} channel) per persona, each reported at file:line:column.
 */
public final class WelcomeTemplates {

  public static final String DIR = "welcome";
  static final int MAX_ATTACHMENTS = 9;
  static final int MAX_TEXT_BYTES = 4000;
  static final int MAX_LINK_TITLE_BYTES = 128;
  static final int MAX_LINK_DESC_BYTES = 512;
  static final int MAX_MINIPROGRAM_TITLE_BYTES = 64;
  static final long MAX_COVER_BYTES = 10L * 1024 * 1024;
  /** A long WeChat name, for the worst-case length check. */
  private static final String LONG_NAME = "名".repeat(32);

  /** One file's content. */
  public record WelcomeFile(List<WelcomeTemplate> templates) {
    public WelcomeFile {
      templates = templates == null ? List.of() : List.copyOf(templates);
    }
  }

  private final List<WelcomeTemplate> templates;

  WelcomeTemplates(List<WelcomeTemplate> templates) {
    this.templates = List.copyOf(templates);
  }

  /**
   * Loads and checks every file; null when anything is wrong (the problems say what). Cross-checks
   * against channels and accounts are skipped when those files are invalid themselves.
   */
  public static WelcomeTemplates load(Path configDir, YamlReader yaml, ChannelCatalog channels, Accounts accounts,
      Problems problems) {
    return load(configDir, yaml, channels, accounts, null, problems);
  }

  /**
   * As above; {@code groupCategories} (groups.yaml, null when it did not load) are what
   * {@code {group_qr:…}} and {@code {group_link:…}} may name.
   */
  public static WelcomeTemplates load(Path configDir, YamlReader yaml, ChannelCatalog channels, Accounts accounts,
      Set<String> groupCategories, Problems problems) {
    Path dir = configDir.resolve(DIR);
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = list.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
    } catch (IOException e) {
      problems.add(dir, 1, 1, "cannot list welcome templates: " + e.getMessage(), "create config/welcome/ with *.yaml files");
      return null;
    }
    Problems found = new Problems();
    List<WelcomeTemplate> all = new ArrayList<>();
    Map<String, String> ids = new HashMap<>();
    Map<String, String> slots = new HashMap<>();
    Set<String> defaults = new HashSet<>();
    for (Path file : files) {
      YamlDocument<WelcomeFile> doc = yaml.read(file, WelcomeFile.class, found);
      if (!doc.isValid()) {
        continue;
      }
      TemplateCheck check = new TemplateCheck(doc, readLines(file), channels, accounts, groupCategories, found, configDir);
      List<WelcomeTemplate> list = doc.value().templates();
      for (int i = 0; i < list.size(); i++) {
        WelcomeTemplate t = list.get(i);
        String at = "/templates/" + i;
        check.template(at, t);
        if (t.id() != null) {
          String before = ids.putIfAbsent(t.id(), file.getFileName().toString());
          if (before != null) {
            found.add(doc.problem(at + "/id", "duplicate template id \"" + t.id() + "\"", "also in " + before));
          }
        }
        for (int c = 0; c < t.channels().size(); c++) {
          String slot = t.channels().get(c) + "/" + t.persona();
          String before = slots.putIfAbsent(slot, t.id());
          if (before != null) {
            found.add(doc.problem(at + "/channels/" + c, "channel \"" + t.channels().get(c) + "\" already has a "
                + t.persona() + " template (\"" + before + "\")", "one template per channel and persona"));
          }
          if (ChannelCatalog.UNKNOWN.equals(t.channels().get(c))) {
            defaults.add(t.persona());
          }
        }
      }
      all.addAll(list);
    }
    if (files.isEmpty()) {
      found.add(dir, 1, 1, "no welcome templates", "add config/welcome/*.yaml");
    }
    if (accounts != null) {
      for (Account a : accounts.accounts()) {
        if (!defaults.contains(a.persona())) {
          found.add(dir, 1, 1, "no " + a.persona() + " template for channel \"unknown\" (account \"" + a.id() + "\")",
              "every persona needs a default: a template with channels: [unknown]");
          defaults.add(a.persona());
        }
      }
    }
    problems.addAll(found);
    return found.isEmpty() ? new WelcomeTemplates(all) : null;
  }

  /** The template for (channel, persona), else the persona's default for the unknown channel. */
  public Optional<WelcomeTemplate> pick(String channel, String persona) {
    Optional<WelcomeTemplate> exact = find(channel, persona);
    return exact.isPresent() ? exact : find(ChannelCatalog.UNKNOWN, persona);
  }

  public Optional<WelcomeTemplate> byId(String id) {
    return templates.stream().filter(t -> t.id().equals(id)).findFirst();
  }

  public List<WelcomeTemplate> all() {
    return templates;
  }

  private Optional<WelcomeTemplate> find(String channel, String persona) {
    return templates.stream().filter(t -> t.persona().equals(persona) && t.channels().contains(channel)).findFirst();
  }

  private static List<String> readLines(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (IOException e) {
      return List.of();
    }
  }

  /** The rule checks for one file, with the file's lines to point at a placeholder exactly. */
  private static final class TemplateCheck {
    private final YamlDocument<WelcomeFile> doc;
    private final List<String> lines;
    private final ChannelCatalog channels;
    private final Accounts accounts;
    private final Set<String> groupCategories;
    private final Problems problems;
    private final Path configDir;

    TemplateCheck(YamlDocument<WelcomeFile> doc, List<String> lines, ChannelCatalog channels, Accounts accounts,
        Set<String> groupCategories, Problems problems, Path configDir) {
      this.doc = doc;
      this.lines = lines;
      this.channels = channels;
      this.accounts = accounts;
      this.groupCategories = groupCategories;
      this.problems = problems;
      this.configDir = configDir;
    }

    void template(String at, WelcomeTemplate t) {
      if (t.id() == null || t.id().isBlank()) {
        problems.add(doc.problem(at, "template without an id", "give it a name, e.g. meituan-assistant"));
      }
      if (!Account.ASSISTANT.equals(t.persona()) && !Account.DOCTOR.equals(t.persona())) {
        problems.add(doc.problem(at + "/persona", "unknown persona \"" + t.persona() + "\"", "use assistant or doctor"));
      }
      if (t.channels().isEmpty()) {
        problems.add(doc.problem(at, "template \"" + t.id() + "\" names no channels", "e.g. channels: [meituan]"));
      }
      for (int c = 0; c < t.channels().size(); c++) {
        if (channels != null && channels.find(t.channels().get(c)).isEmpty()) {
          problems.add(doc.problem(at + "/channels/" + c, "unknown channel \"" + t.channels().get(c) + "\"",
              "channels in channels.yaml: " + String.join(", ", channels.ids())));
        }
      }
      if (t.text() == null || t.text().isBlank()) {
        problems.add(doc.problem(at + "/text", "template \"" + t.id() + "\" has no text", "the welcome needs a text"));
      } else {
        placeholders(at + "/text", t.text());
        bytes(at + "/text", t.text(), t.persona(), MAX_TEXT_BYTES, "text");
      }
      int offered = GroupOffers.qrCategories(t.text()).size();
      if (t.attachments().size() + offered > MAX_ATTACHMENTS) {
        int total = t.attachments().size() + offered;
        problems.add(doc.problem(at + "/attachments/" + Math.max(0, MAX_ATTACHMENTS - offered), total
            + " attachments" + (offered > 0 ? " (" + offered + " group codes among them)" : "")
            + ", WeCom allows at most " + MAX_ATTACHMENTS, "remove " + (total - MAX_ATTACHMENTS)));
      }
      for (int a = 0; a < t.attachments().size(); a++) {
        attachment(at + "/attachments/" + a, t.attachments().get(a), t.persona());
      }
      if (t.fallback() != null) {
        if (t.fallback().text() == null || t.fallback().text().isBlank()) {
          problems.add(doc.problem(at + "/fallback", "fallback without text", "write the 1:1 message, or drop fallback"));
        } else {
          placeholders(at + "/fallback/text", t.fallback().text());
          bytes(at + "/fallback/text", t.fallback().text(), t.persona(), MAX_TEXT_BYTES, "fallback text");
        }
      }
    }

    private void attachment(String at, WelcomeTemplate.Attachment a, String persona) {
      if (a.kinds() != 1) {
        problems.add(doc.problem(at, "an attachment is exactly one of link, image, miniprogram", ""));
        return;
      }
      if (a.link() != null) {
        WelcomeTemplate.Link link = a.link();
        required(at + "/link", "title", link.title());
        required(at + "/link", "url", link.url());
        if (link.url() != null && !link.url().startsWith("https://") && !link.url().startsWith("http://")) {
          problems.add(doc.problem(at + "/link/url", "url must start with http:// or https://", ""));
        }
        placeholders(at + "/link/title", link.title());
        placeholders(at + "/link/desc", link.desc());
        bytes(at + "/link/title", link.title(), persona, MAX_LINK_TITLE_BYTES, "link title");
        bytes(at + "/link/desc", link.desc(), persona, MAX_LINK_DESC_BYTES, "link desc");
      } else if (a.image() != null) {
        if (isBlank(a.image().picUrl()) && isBlank(a.image().mediaId())) {
          problems.add(doc.problem(at + "/image", "an image needs pic_url (or media_id)", "pic_url: https://..."));
        }
      } else {
        WelcomeTemplate.Miniprogram mp = a.miniprogram();
        required(at + "/miniprogram", "title", mp.title());
        required(at + "/miniprogram", "appid", mp.appid());
        required(at + "/miniprogram", "page", mp.page());
        cover(at + "/miniprogram", mp);
        placeholders(at + "/miniprogram/title", mp.title());
        bytes(at + "/miniprogram/title", mp.title(), persona, MAX_MINIPROGRAM_TITLE_BYTES, "miniprogram title");
      }
    }

    /** A cover is an image file under config/ ({@code pic}), or a media id that lives 3 days. */
    private void cover(String at, WelcomeTemplate.Miniprogram mp) {
      if (isBlank(mp.pic()) == isBlank(mp.picMediaId())) {
        problems.add(doc.problem(at, "a mini program needs exactly one cover: pic (a file under config/) or pic_media_id",
            "pic: media/cover.png (uploaded as needed; a pic_media_id expires after 3 days)"));
        return;
      }
      if (isBlank(mp.pic())) {
        return;
      }
      String name = mp.pic().toLowerCase(java.util.Locale.ROOT);
      Path file = configDir.resolve(mp.pic()).normalize();
      if (!file.startsWith(configDir.normalize())) {
        problems.add(doc.problem(at + "/pic", "pic must be a file under config/, was " + mp.pic(), ""));
      } else if (!name.endsWith(".png") && !name.endsWith(".jpg") && !name.endsWith(".jpeg")) {
        problems.add(doc.problem(at + "/pic", "a cover must be a .png or .jpg image", ""));
      } else if (!Files.isRegularFile(file)) {
        problems.add(doc.problem(at + "/pic", "no such file: " + file, "put the image under config/, e.g. config/media/"));
      } else if (size(file) > MAX_COVER_BYTES) {
        problems.add(doc.problem(at + "/pic", "the cover is over WeCom's 10 MB image limit", ""));
      }
    }

    private static long size(Path file) {
      try {
        return Files.size(file);
      } catch (IOException e) {
        return Long.MAX_VALUE;
      }
    }

    private void required(String at, String key, String value) {
      if (isBlank(value)) {
        problems.add(doc.problem(at, key + " is required", ""));
      }
    }

    private void placeholders(String at, String text) {
      if (text == null) {
        return;
      }
      app.liuliang.config.SentTexts.checkWording(doc, at, text, problems);
      var m = WelcomeComposer.PLACEHOLDER.matcher(text);
      while (m.find()) {
        Matcher offer = GroupOffers.OFFER.matcher(m.group());
        if (offer.matches()) {
          if (groupCategories != null && !groupCategories.contains(offer.group(2))) {
            problems.add(pointAt(doc.problem(at, "unknown group category \"" + offer.group(2) + "\" in " + m.group(),
                groupCategories.isEmpty() ? "config/groups.yaml declares no categories"
                    : "categories in groups.yaml: " + String.join(", ", groupCategories)), m.group()));
          }
          continue;
        }
        if (!WelcomeComposer.PLACEHOLDERS.contains(m.group(1))) {
          problems.add(pointAt(doc.problem(at, "unknown placeholder " + m.group(),
              "placeholders: " + String.join(", ", WelcomeComposer.PLACEHOLDERS.stream().map(p -> "{" + p + "}").toList())
                  + ", {group_qr:<category>}, {group_link:<category>}"),
              m.group()));
        }
      }
    }

    /** Checks the rendered size with a long name and every account of the persona. */
    private void bytes(String at, String text, String persona, int max, String what) {
      if (text == null) {
        return;
      }
      int worst = 0;
      List<Account> candidates = accounts == null ? List.of()
          : accounts.accounts().stream().filter(a -> a.persona().equals(persona)).toList();
      for (Account account : candidates) {
        String rendered = WelcomeComposer.render(text, WelcomeComposer.values(LONG_NAME, account, "渠道名称"));
        worst = Math.max(worst, utf8(rendered));
      }
      worst = Math.max(worst, utf8(text.strip()));
      if (worst > max) {
        problems.add(doc.problem(at, what + " is " + worst + " bytes when filled in, WeCom allows " + max,
            "shorten it (a Chinese character is 3 bytes)"));
      }
    }

    /** Moves a problem from the key to the line and column where {@code token} appears in the value. */
    private ConfigProblem pointAt(ConfigProblem p, String token) {
      for (int line = Math.max(p.line(), 1); line <= lines.size(); line++) {
        int column = lines.get(line - 1).indexOf(token);
        if (column >= 0) {
          return new ConfigProblem(p.file(), line, column + 1, p.message(), p.hint());
        }
      }
      return p;
    }
  }

  static int utf8(String s) {
    return s == null ? 0 : s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }
}
