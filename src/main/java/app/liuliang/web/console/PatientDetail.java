package app.liuliang.web.console;

import app.liuliang.contact.TagCatalog;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Everything about one patient for the 患者详情 page: the profile, tags, layer history, welcome,
 * referrals, opt-out changes, and one timeline of messages both ways, hand-offs, the bot's and SOP's
 * sends, visits and other practice events. Each read is by patient on an index (V70).
 */
final class PatientDetail {

  /** The newest entries of each kind on the timeline; a patient with years of chat stays fast. */
  static final int PER_KIND = 200;

  record Profile(String externalUserId, String name, String phone, String channel, String store, String layer,
      String layerId, String status, boolean optedOut, String referralCode, String referrerId, String referrerName,
      String firstStaff, String addedAt, List<String> followers) {
  }

  record Tag(String name, String group, String source, String addedAt) {
  }

  record LayerChange(String from, String to, String reason, String at) {
  }

  record Welcome(String staff, String template, String status, boolean fallback, String at) {
  }

  record Referee(String externalUserId, String name, String layer, String at) {
  }

  record OptOutChange(boolean optedOut, String actor, String reason, String at) {
  }

  /** One line of the timeline; {@code kind} is a CSS class, {@code label} what the operator reads. */
  record Entry(long atMillis, String at, String kind, String label, String text, String detail, String link) {
  }

  private final Jdbi jdbi;
  private final ConsoleTime time;
  private final ConsoleNames names;
  private final TagCatalog tags;

  PatientDetail(Jdbi jdbi, ConsoleTime time, ConsoleNames names, TagCatalog tags) {
    this.jdbi = jdbi;
    this.time = time;
    this.names = names;
    this.tags = tags;
  }

  Optional<Profile> profile(String ext) {
    return jdbi.withHandle(h -> h.createQuery("SELECT c.name, c.phone, c.channel, c.store, c.layer, c.status, c.opted_out, "
            + "c.referral_code, c.referrer_external_userid, r.name, c.first_userid, c.added_at FROM contacts c "
            + "LEFT JOIN contacts r ON r.external_userid = c.referrer_external_userid WHERE c.external_userid = :ext")
        .bind("ext", ext)
        .map((rs, ctx) -> new Profile(ext, rs.getString(1), nz(rs.getString(2)), names.channel(rs.getString(3)),
            names.store(rs.getString(4)), Labels.layer(rs.getString(5)), rs.getString(5),
            Labels.contactStatus(rs.getString(6)), rs.getInt(7) == 1, nz(rs.getString(8)), nz(rs.getString(9)),
            nz(rs.getString(10)), rs.getString(11) == null ? "" : names.staff(rs.getString(11)),
            time.shortTime(rs.getLong(12)), followers(h, ext)))
        .findOne());
  }

  private List<String> followers(Handle h, String ext) {
    return h.createQuery("SELECT userid, status FROM contact_follows WHERE external_userid = :ext ORDER BY added_at, userid")
        .bind("ext", ext)
        .map((rs, ctx) -> names.staff(rs.getString(1)) + ("active".equals(rs.getString(2)) ? "" : "（已删除）"))
        .list();
  }

  List<Tag> tags(String ext) {
    return jdbi.withHandle(h -> h.createQuery("SELECT tag_name, source, added_at FROM contact_tags "
            + "WHERE external_userid = :ext ORDER BY added_at, tag_name").bind("ext", ext)
        .map((rs, ctx) -> new Tag(rs.getString(1), tags == null ? "" : tags.groupOf(rs.getString(1)).orElse(""),
            source(rs.getString(2)), time.shortTime(rs.getLong(3))))
        .list());
  }

  /** Tags of tags.yaml the patient does not have yet, for the add form (layer tags move with the layer). */
  List<String> addableTags(List<Tag> current) {
    if (tags == null) {
      return List.of();
    }
    List<String> have = current.stream().map(Tag::name).toList();
    List<String> addable = new ArrayList<>();
    for (TagCatalog.TagGroup group : tags.groups()) {
      for (String tag : group.tags()) {
        if (!have.contains(tag) && !tags.layerTags().containsValue(tag) && !tag.equals(tags.optedOutTag())) {
          addable.add(tag);
        }
      }
    }
    return addable;
  }

  List<LayerChange> layerHistory(String ext) {
    return jdbi.withHandle(h -> h.createQuery("SELECT from_layer, to_layer, reason, at FROM layer_changes "
            + "WHERE external_userid = :ext ORDER BY at DESC, id DESC LIMIT :limit").bind("ext", ext).bind("limit", PER_KIND)
        .map((rs, ctx) -> new LayerChange(Labels.layer(rs.getString(1)), Labels.layer(rs.getString(2)),
            layerReason(rs.getString(3)), time.shortTime(rs.getLong(4))))
        .list());
  }

  List<Welcome> welcomes(String ext) {
    return jdbi.withHandle(h -> h.createQuery("SELECT userid, template_id, status, fallback, created_at FROM welcomes "
            + "WHERE external_userid = :ext ORDER BY created_at DESC").bind("ext", ext)
        .map((rs, ctx) -> new Welcome(names.staff(rs.getString(1)), rs.getString(2), Labels.welcomeStatus(rs.getString(3)),
            rs.getInt(4) == 1, time.shortTime(rs.getLong(5))))
        .list());
  }

  List<Referee> referees(String ext) {
    return jdbi.withHandle(h -> h.createQuery("SELECT r.referee_external_userid, c.name, c.layer, r.created_at "
            + "FROM referrals r LEFT JOIN contacts c ON c.external_userid = r.referee_external_userid "
            + "WHERE r.referrer_external_userid = :ext ORDER BY r.created_at DESC LIMIT :limit")
        .bind("ext", ext).bind("limit", PER_KIND)
        .map((rs, ctx) -> new Referee(rs.getString(1), nz(rs.getString(2)),
            rs.getString(3) == null ? "" : Labels.layer(rs.getString(3)), time.shortTime(rs.getLong(4))))
        .list());
  }

  /** A customer group the patient is (or was) in. */
  record Membership(String name, String category, String joinedAt, String leftAt) {
  }

  /** The customer groups the patient is in, and those they left, newest first. */
  List<Membership> groups(String ext) {
    return jdbi.withHandle(h -> h.createQuery("SELECT g.name, g.category, m.join_time, m.left_at FROM group_members m "
            + "JOIN group_chats g ON g.chat_id = m.chat_id WHERE m.member_id = :ext "
            + "ORDER BY m.left_at IS NOT NULL, m.join_time DESC LIMIT :limit")
        .bind("ext", ext).bind("limit", PER_KIND)
        .map((rs, ctx) -> new Membership(nz(rs.getString(1)).isEmpty() ? "（未命名群）" : rs.getString(1), nz(rs.getString(2)),
            time.shortTime(rs.getLong(3)), rs.getObject(4) == null ? "" : time.shortTime(rs.getLong(4))))
        .list());
  }

  List<OptOutChange> optOutChanges(String ext) {
    return jdbi.withHandle(h -> h.createQuery("SELECT opted_out, actor, reason, at FROM opt_out_changes "
            + "WHERE external_userid = :ext ORDER BY at DESC, id DESC").bind("ext", ext)
        .map((rs, ctx) -> new OptOutChange(rs.getInt(1) == 1, rs.getString(2), rs.getString(3),
            time.shortTime(rs.getLong(4))))
        .list());
  }

  /** Newest first: messages, hand-offs, the outbox's sends about them, SOP and journey items, practice events. */
  List<Entry> timeline(String ext) {
    List<Entry> entries = new ArrayList<>();
    jdbi.useHandle(h -> {
      h.createQuery("SELECT direction, msgtype, content, intent, at FROM messages WHERE external_userid = :ext "
              + "ORDER BY at DESC LIMIT :limit").bind("ext", ext).bind("limit", PER_KIND)
          .map((rs, ctx) -> {
            boolean in = "in".equals(rs.getString(1));
            String text = rs.getString(3) == null ? "[" + rs.getString(2) + "]" : rs.getString(3);
            return entry(rs.getLong(5), in ? "msg-in" : "msg-out", in ? "患者" : "发给患者", text,
                rs.getString(4) == null || !in ? "" : Labels.handoffReason(rs.getString(4)), "");
          }).forEach(entries::add);
      h.createQuery("SELECT id, state, reason, doctor_userid, opened_at FROM handoffs WHERE external_userid = :ext "
              + "ORDER BY opened_at DESC LIMIT :limit").bind("ext", ext).bind("limit", PER_KIND)
          .map((rs, ctx) -> entry(rs.getLong(5), "handoff", "转接 #" + rs.getLong(1),
              Labels.handoffReason(rs.getString(3)) + " → " + names.staff(rs.getString(4)),
              Labels.handoffState(rs.getString(2)), "/admin/handoffs/" + rs.getLong(1)))
          .forEach(entries::add);
      // Texts to the patient are already messages; the outbox adds what is not (welcomes, tags, SOP sends).
      h.createQuery("SELECT purpose, status, created_at, errcode FROM outbox WHERE external_userid = :ext "
              + "AND api <> '/cgi-bin/kf/send_msg' ORDER BY created_at DESC LIMIT :limit").bind("ext", ext)
          .bind("limit", PER_KIND)
          .map((rs, ctx) -> entry(rs.getLong(3), "outbox", "自动动作", Labels.outboxPurpose(rs.getString(1)),
              Labels.outboxStatus(rs.getString(2)) + (rs.getObject(4) == null ? "" : "（错误码 " + rs.getInt(4) + "）"), ""))
          .forEach(entries::add);
      h.createQuery("SELECT d.status, d.at, i.kind, i.text_preview FROM sop_deliveries d "
              + "LEFT JOIN sop_items i ON i.week = d.week AND i.item_id = d.item_id WHERE d.target = :ext "
              + "ORDER BY d.at DESC LIMIT :limit").bind("ext", ext).bind("limit", PER_KIND)
          .map((rs, ctx) -> {
            String kind = rs.getString(3) == null ? "" : rs.getString(3);
            return entry(rs.getLong(2), "sop", kind.isEmpty() ? "SOP" : Labels.sopKind(kind), nz(rs.getString(4)),
                Labels.outboxStatus(rs.getString(1)), "");
          }).forEach(entries::add);
      h.createQuery("SELECT type, subtype, amount, at FROM contact_activities WHERE external_userid = :ext "
              + "ORDER BY at DESC LIMIT :limit").bind("ext", ext).bind("limit", PER_KIND)
          .map((rs, ctx) -> entry(rs.getLong(4), "activity", activity(rs.getString(1)), nz(rs.getString(2)),
              rs.getObject(3) == null ? "" : "金额 " + rs.getBigDecimal(3).stripTrailingZeros().toPlainString(), ""))
          .forEach(entries::add);
    });
    entries.sort(Comparator.comparingLong(Entry::atMillis).reversed());
    return entries;
  }

  private Entry entry(long at, String kind, String label, String text, String detail, String link) {
    return new Entry(at, time.shortTime(at), kind, label, text, detail, link);
  }

  private static String activity(String type) {
    return switch (type) {
      case "visit" -> "到诊";
      case "order" -> "下单";
      case "membership" -> "会员";
      case "reply" -> "回复";
      default -> type;
    };
  }

  private static String source(String source) {
    return switch (source) {
      case "auto" -> "自动";
      case "staff" -> "员工";
      case "intent" -> "按意图";
      default -> source;
    };
  }

  private static String layerReason(String reason) {
    if (reason.startsWith("intent:")) {
      return "消息意图：" + Labels.handoffReason(reason.substring("intent:".length()));
    }
    return reason;
  }

  private static String nz(String value) {
    return value == null ? "" : value;
  }
}
