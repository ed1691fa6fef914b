package app.liuliang.group;

import app.liuliang.account.Accounts;
import app.liuliang.config.Problems;
import app.liuliang.config.YamlDocument;
import app.liuliang.config.YamlReader;
import app.liuliang.contact.TagCatalog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code config/groups.yaml}: the categories of customer groups (种植VIP群, 会员福利群 ...), each with
 * its owners, group code ({@code groupchat/add_join_way}), join welcome ({@code group_welcome_template}),
 * the tags and layer a patient who joins gets, and whether leaving alerts staff.
 *
 * @param categories every category, names unique
 * @param churn      who hears about patients who leave
 * @param syncEvery  how often the full {@code groupchat/list} sync heals missed events
 * @param refreshSettle how long after a group's first change event it is read: one read covers every
 *                   event of the window (and WeCom's data has caught up by then)
 */
public record GroupCatalog(List<Category> categories, Churn churn, Duration syncEvery, Duration refreshSettle) {

  public static final String FILE = "groups.yaml";
  /** WeCom keeps at most 100 join-welcome templates per corp. */
  static final int MAX_TEMPLATES = 100;
  static final int MAX_CHATS = 5;
  static final int MAX_WELCOME_BYTES = 3000;
  private static final Pattern PLACEHOLDER = Pattern.compile("%([A-Za-z_]+)%");

  /**
   * One kind of group.
   *
   * @param name       shown to staff and in the console, e.g. 种植VIP群
   * @param owners     staff (accounts.yaml ids) who own these groups; the sync lists their groups
   * @param code       the group code, or null for none
   * @param welcome    the join welcome template, or null for none
   * @param tags       tags of tags.yaml given to patients who join
   * @param layer      the layer a patient who joins is raised to (never lowered), or null
   * @param notice     the group notice text the owners post (shown in the console)
   * @param churnAlert true: a patient leaving this group alerts their assistant
   */
  public record Category(String name, List<String> owners, Code code, Welcome welcome, List<String> tags,
      String layer, String notice, Boolean churnAlert) {
    public Category {
      owners = owners == null ? List.of() : List.copyOf(owners);
      tags = tags == null ? List.of() : List.copyOf(tags);
      notice = notice == null ? "" : notice;
      churnAlert = churnAlert != null && churnAlert;
    }

    /** True when the group is one of this category's: listed in its code, or auto-created from it. */
    boolean claims(String chatId, String owner, String groupName) {
      if (code == null) {
        return false;
      }
      if (code.chatIds().contains(chatId)) {
        return true;
      }
      return code.autoCreateRoom() && code.roomBaseName() != null && !code.roomBaseName().isEmpty()
          && owners.contains(owner) && groupName.startsWith(code.roomBaseName());
    }
  }

  /**
   * A group code: {@code scene} 1 mini-program, 2 QR code; when the groups in {@code chat_ids} fill
   * up, WeCom creates {@code room_base_name}N (from {@code room_base_id}) if {@code auto_create_room}.
   */
  public record Code(Integer scene, String remark, Boolean autoCreateRoom, String roomBaseName, Integer roomBaseId,
      List<String> chatIds, String state) {
    public Code {
      scene = scene == null ? 2 : scene;
      remark = remark == null ? "" : remark;
      autoCreateRoom = autoCreateRoom == null || autoCreateRoom;
      roomBaseId = roomBaseId == null ? 1 : roomBaseId;
      chatIds = chatIds == null ? List.of() : List.copyOf(chatIds);
      state = state == null ? "" : state;
    }
  }

  /** A join welcome: text ({@code %NICKNAME%} becomes the new member's nickname) and at most one attachment. */
  public record Welcome(String text, Attachment attachment) {
  }

  /** {@code link} (title, url, pic_url, desc) or {@code image} (pic_url or media_id). */
  public record Attachment(String type, String title, String url, String picUrl, String desc, String mediaId) {
  }

  /**
   * @param adminLayers patients in these layers who leave also alert the admins of app.yaml
   * @param digestAt    "HH:mm": instead of one message per alert, one daily digest per recipient at
   *                    this time (the clinic's time zone); null sends each alert at once
   */
  public record Churn(List<String> adminLayers, String digestAt) {
    public Churn {
      adminLayers = adminLayers == null ? List.of() : List.copyOf(adminLayers);
    }

    /** The digest time, empty when alerts go out one by one (validated: HH:mm). */
    Optional<java.time.LocalTime> digestTime() {
      return digestAt == null || digestAt.isBlank() ? Optional.empty() : Optional.of(java.time.LocalTime.parse(digestAt));
    }
  }

  public GroupCatalog {
    categories = categories == null ? List.of() : List.copyOf(categories);
    churn = churn == null ? new Churn(List.of(), null) : churn;
    syncEvery = syncEvery == null ? Duration.ofHours(6) : syncEvery;
    refreshSettle = refreshSettle == null ? Duration.ofSeconds(2) : refreshSettle;
  }

  /** An empty catalog: no categories (a config folder without groups.yaml still tracks membership). */
  public static GroupCatalog empty() {
    return new GroupCatalog(List.of(), null, null, null);
  }

  /** Loads and checks the file; a missing file is an empty catalog; null when it has problems. */
  public static GroupCatalog load(Path configDir, YamlReader yaml, Accounts accounts, TagCatalog tags,
      Problems problems) {
    Path file = configDir.resolve(FILE);
    if (!Files.exists(file)) {
      return empty();
    }
    return yaml.load(file, GroupCatalog.class, problems, (doc, found) -> doc.value().check(doc, accounts, tags, found));
  }

  /** The category names, for plans that target categories. */
  public Set<String> names() {
    Set<String> names = new java.util.LinkedHashSet<>();
    categories.forEach(c -> names.add(c.name()));
    return names;
  }

  public Optional<Category> find(String name) {
    return categories.stream().filter(c -> c.name().equals(name)).findFirst();
  }

  /** The category a group belongs to, if any. */
  Optional<Category> categoryOf(String chatId, String owner, String groupName) {
    return categories.stream().filter(c -> c.claims(chatId, owner, groupName)).findFirst();
  }

  /** Every owner named in any category (the sync lists their groups, with the staff of accounts.yaml). */
  Set<String> owners() {
    Set<String> owners = new java.util.LinkedHashSet<>();
    categories.forEach(c -> owners.addAll(c.owners()));
    return owners;
  }

  private void check(YamlDocument<GroupCatalog> doc, Accounts accounts, TagCatalog tags, Problems problems) {
    Set<String> names = new HashSet<>();
    Set<String> states = new HashSet<>();
    int templates = 0;
    for (int i = 0; i < categories.size(); i++) {
      Category c = categories.get(i);
      String at = "/categories/" + i;
      if (c.name() == null || c.name().isBlank() || c.name().length() > 40) {
        problems.add(doc.problem(at + "/name", "category name must be 1 to 40 characters", "e.g. 种植VIP群"));
      } else if (!names.add(c.name())) {
        problems.add(doc.problem(at + "/name", "duplicate category \"" + c.name() + "\"", "each category appears once"));
      }
      if (c.owners().isEmpty()) {
        problems.add(doc.problem(at, "category \"" + c.name() + "\" has no owners", "list the staff who own these groups"));
      }
      for (int o = 0; o < c.owners().size(); o++) {
        if (accounts != null && accounts.find(c.owners().get(o)).isEmpty()) {
          problems.add(doc.problem(at + "/owners/" + o, "unknown account \"" + c.owners().get(o) + "\"",
              "known accounts: " + accounts.ids()));
        }
      }
      for (int t = 0; t < c.tags().size(); t++) {
        if (tags != null && !tags.contains(c.tags().get(t))) {
          problems.add(doc.problem(at + "/tags/" + t, "unknown tag \"" + c.tags().get(t) + "\"", "add it to a group in tags.yaml"));
        }
      }
      if (c.layer() != null && !TagCatalog.LAYERS.contains(c.layer())) {
        problems.add(doc.problem(at + "/layer", "unknown layer \"" + c.layer() + "\"", "use " + String.join(", ", TagCatalog.LAYERS)));
      }
      if (c.code() != null) {
        checkCode(doc, at + "/code", c.code(), states, problems);
      }
      if (c.welcome() != null) {
        templates++;
        checkWelcome(doc, at + "/welcome", c.welcome(), problems);
      }
    }
    if (templates > MAX_TEMPLATES) {
      problems.add(doc.problem("/categories", templates + " join welcomes, WeCom keeps at most " + MAX_TEMPLATES
          + " per corp", "share a welcome between categories"));
    }
    for (int l = 0; l < churn.adminLayers().size(); l++) {
      if (!TagCatalog.LAYERS.contains(churn.adminLayers().get(l))) {
        problems.add(doc.problem("/churn/admin_layers/" + l, "unknown layer \"" + churn.adminLayers().get(l) + "\"",
            "use " + String.join(", ", TagCatalog.LAYERS)));
      }
    }
    if (churn.digestAt() != null && !churn.digestAt().matches("([01]\\d|2[0-3]):[0-5]\\d")) {
      problems.add(doc.problem("/churn/digest_at", "digest_at must be a time like 18:00, was \"" + churn.digestAt() + "\"",
          "leave it out to send each alert at once"));
    }
    if (refreshSettle.isNegative() || refreshSettle.compareTo(Duration.ofMinutes(1)) > 0) {
      problems.add(doc.problem("/refresh_settle", "refresh_settle must be between PT0S and PT1M", "e.g. PT2S"));
    }
    if (syncEvery.compareTo(Duration.ofMinutes(5)) < 0) {
      problems.add(doc.problem("/sync_every", "sync_every must be at least PT5M", "e.g. PT6H"));
    }
  }

  private static void checkCode(YamlDocument<GroupCatalog> doc, String at, Code code, Set<String> states,
      Problems problems) {
    if (code.scene() != 1 && code.scene() != 2) {
      problems.add(doc.problem(at + "/scene", "scene must be 1 (mini-program) or 2 (QR code)", ""));
    }
    if (code.chatIds().isEmpty() || code.chatIds().size() > MAX_CHATS) {
      problems.add(doc.problem(at + "/chat_ids", "a group code needs 1 to " + MAX_CHATS + " chat ids, has "
          + code.chatIds().size(), "WeCom's chat_id_list holds at most 5 groups"));
    }
    if (code.remark().length() > 30) {
      problems.add(doc.problem(at + "/remark", "remark is " + code.remark().length() + " characters, at most 30", ""));
    }
    if (code.state().length() > 30) {
      problems.add(doc.problem(at + "/state", "state is " + code.state().length() + " characters, at most 30", ""));
    }
    if (!code.state().isEmpty() && !states.add(code.state())) {
      problems.add(doc.problem(at + "/state", "state \"" + code.state() + "\" is used by another category", ""));
    }
    if (code.autoCreateRoom()) {
      if (code.roomBaseName() == null || code.roomBaseName().isBlank()) {
        problems.add(doc.problem(at, "auto_create_room needs a room_base_name", "e.g. room_base_name: 种植VIP群"));
      } else if (code.roomBaseName().length() > 40) {
        problems.add(doc.problem(at + "/room_base_name", "room_base_name is " + code.roomBaseName().length()
            + " characters, at most 40", ""));
      }
    }
  }

  private static void checkWelcome(YamlDocument<GroupCatalog> doc, String at, Welcome welcome, Problems problems) {
    String text = welcome.text() == null ? "" : welcome.text();
    if (text.isBlank()) {
      problems.add(doc.problem(at, "join welcome without text", "e.g. text: \"%NICKNAME% 欢迎加入！\""));
    }
    int bytes = text.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_WELCOME_BYTES) {
      problems.add(doc.problem(at + "/text", "join welcome is " + bytes + " bytes, at most " + MAX_WELCOME_BYTES, ""));
    }
    app.liuliang.config.SentTexts.checkWording(doc, at + "/text", text, problems);
    Matcher m = PLACEHOLDER.matcher(text);
    while (m.find()) {
      if (!"NICKNAME".equals(m.group(1))) {
        problems.add(doc.problem(at + "/text", "unknown placeholder %" + m.group(1) + "%",
            "WeCom replaces only %NICKNAME% (upper case)"));
      }
    }
    Attachment a = welcome.attachment();
    if (a == null) {
      return;
    }
    String where = at + "/attachment";
    if ("link".equals(a.type())) {
      if (a.title() == null || a.title().isBlank() || a.url() == null || a.url().isBlank()) {
        problems.add(doc.problem(where, "a link needs a title and a url", ""));
      } else if (a.title().getBytes(StandardCharsets.UTF_8).length > 128) {
        problems.add(doc.problem(where + "/title", "link title over 128 bytes", ""));
      }
    } else if ("image".equals(a.type())) {
      if ((a.picUrl() == null || a.picUrl().isBlank()) && (a.mediaId() == null || a.mediaId().isBlank())) {
        problems.add(doc.problem(where, "an image needs pic_url or media_id", ""));
      }
    } else {
      problems.add(doc.problem(where + "/type", "attachment type must be link or image, was \"" + a.type() + "\"", ""));
    }
  }
}
