package app.liuliang.web.console;

import app.liuliang.account.Account;
import app.liuliang.account.Accounts;
import app.liuliang.app.Foundation;
import app.liuliang.contact.ChannelCatalog;
import app.liuliang.contact.ReferralProgramme;
import app.liuliang.contact.TagCatalog;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;

/**
 * The patient and the customer group as the chat sidebar shows them, from the same reads and Chinese
 * labels as the 患者详情 page ({@link PatientDetail}, {@link HandoffDesk}): JSON-ready maps, no raw ids
 * where a name exists.
 */
public final class SidebarViews {

  static final int RECENT_MESSAGES = 10;
  static final int RECENT_VISITS = 10;

  private final Jdbi jdbi;
  private final Accounts accounts;
  private final ConsoleNames names;
  private final ConsoleTime time;
  private final PatientDetail detail;
  private final HandoffDesk desk;
  private final ReferralProgramme programme;

  /** @param accounts and {@code tags} may be null when their files failed to load */
  public SidebarViews(Foundation foundation, Accounts accounts, TagCatalog tags, Supplier<ChannelCatalog> channels,
      ReferralProgramme programme) {
    this.jdbi = foundation.database().jdbi();
    this.accounts = accounts;
    this.names = new ConsoleNames(channels, accounts);
    this.time = new ConsoleTime(foundation.clock(), foundation.settings().app().timezone());
    this.detail = new PatientDetail(jdbi, time, names, tags);
    this.desk = new HandoffDesk(jdbi, time, names);
    this.programme = programme;
  }

  /** The patient's name, for filling quick replies; empty when unknown. */
  public Optional<String> patientName(String ext) {
    return detail.profile(ext).map(PatientDetail.Profile::name);
  }

  /** Everything the sidebar shows about one patient; empty when the store does not know them. */
  public Optional<Map<String, Object>> patient(String ext) {
    Optional<PatientDetail.Profile> found = detail.profile(ext);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    PatientDetail.Profile p = found.get();
    List<PatientDetail.Tag> tags = detail.tags(ext);
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("externalUserId", ext);
    view.put("name", p.name() == null || p.name().isEmpty() ? "（未命名患者）" : p.name());
    view.put("layer", p.layer());
    view.put("status", p.status());
    view.put("optedOut", p.optedOut());
    view.put("channel", p.channel());
    view.put("store", p.store());
    view.put("referrer", p.referrerName().isEmpty() ? p.referrerId() : p.referrerName());
    view.put("doctor", ownDoctor(ext));
    view.put("followers", p.followers());
    view.put("tags", tags.stream().map(t -> Map.of("name", t.name(), "group", t.group())).toList());
    view.put("addableTags", detail.addableTags(tags));
    view.put("messages", lastMessages(ext));
    view.put("handoff", openHandoff(ext).orElse(null));
    view.put("visits", recallsAndVisits(ext));
    view.put("referralCode", p.referralCode());
    ReferralProgramme.Progress progress = programme.progressOf(ext);
    view.put("referrals", Map.of("counted", progress.counted(), "pending", progress.pending(),
        "nextReward", progress.nextReward(), "remaining", progress.remaining()));
    view.put("doctors", doctors());
    return Optional.of(view);
  }

  /** What the doctor's hand-off card shows: name, layer, tags and the patient's last three messages. */
  public Optional<app.liuliang.handoff.HandoffRequest.PatientCard> card(String ext) {
    return detail.profile(ext).map(p -> {
      List<String> said = desk.messages(ext).stream().filter(HandoffDesk.Message::in).map(HandoffDesk.Message::text).toList();
      return new app.liuliang.handoff.HandoffRequest.PatientCard(p.name(), p.layer(),
          detail.tags(ext).stream().map(PatientDetail.Tag::name).toList(), said.subList(Math.max(0, said.size() - 3), said.size()));
    });
  }

  /** The group's category (groups.yaml), its owner, and the members who are patients. */
  public Optional<Map<String, Object>> group(String chatId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT name, category, owner, status FROM group_chats WHERE chat_id = :chat")
        .bind("chat", chatId)
        .map((rs, ctx) -> {
          Map<String, Object> view = new LinkedHashMap<>();
          view.put("chatId", chatId);
          view.put("name", rs.getString(1) == null || rs.getString(1).isEmpty() ? "（未命名群）" : rs.getString(1));
          view.put("category", rs.getString(2) == null ? "未分类" : rs.getString(2));
          view.put("owner", names.staff(rs.getString(3)));
          view.put("dismissed", "dismissed".equals(rs.getString(4)));
          return view;
        }).findOne()
        .map(view -> {
          // Only members Liuliang knows as patients are listed; other customers in the group are counted.
          view.put("patients", h.createQuery("SELECT m.member_id, COALESCE(c.name, m.name), c.layer, m.join_time "
                  + "FROM group_members m JOIN contacts c ON c.external_userid = m.member_id "
                  + "WHERE m.chat_id = :chat AND m.type = 2 AND m.left_at IS NULL ORDER BY m.join_time, m.member_id")
              .bind("chat", chatId)
              .map((rs, ctx) -> Map.<String, Object>of("externalUserId", rs.getString(1),
                  "name", rs.getString(2) == null || rs.getString(2).isEmpty() ? "（未命名）" : rs.getString(2),
                  "layer", rs.getString(3) == null ? "未分层" : Labels.layer(rs.getString(3)),
                  "joinedAt", time.shortTime(rs.getLong(4))))
              .list());
          view.put("others", h.createQuery("SELECT COUNT(*) FROM group_members m WHERE m.chat_id = :chat AND m.type = 2 "
                  + "AND m.left_at IS NULL AND NOT EXISTS (SELECT 1 FROM contacts c WHERE c.external_userid = m.member_id)")
              .bind("chat", chatId).mapTo(Long.class).one());
          return view;
        }));
  }

  private String ownDoctor(String ext) {
    if (accounts == null) {
      return "";
    }
    return jdbi.withHandle(h -> h.createQuery("SELECT userid FROM contact_follows WHERE external_userid = :ext "
            + "AND status = 'active' ORDER BY added_at, userid").bind("ext", ext).mapTo(String.class).list())
        .stream().filter(id -> accounts.find(id).map(Account::isDoctor).orElse(false)).findFirst()
        .map(names::staff).orElse("");
  }

  private List<Map<String, Object>> lastMessages(String ext) {
    List<HandoffDesk.Message> chat = desk.messages(ext);
    return chat.subList(Math.max(0, chat.size() - RECENT_MESSAGES), chat.size()).stream()
        .map(m -> Map.<String, Object>of("in", m.in(), "text", m.text(), "at", m.at())).toList();
  }

  private Optional<Map<String, Object>> openHandoff(String ext) {
    return jdbi.withHandle(h -> h.createQuery("SELECT id FROM handoffs WHERE external_userid = :ext "
            + "AND state IN (<states>) ORDER BY opened_at DESC LIMIT 1")
        .bind("ext", ext).bindList("states", TodayQueries.OPEN_HANDOFF_STATES).mapTo(Long.class).findOne())
        .flatMap(desk::find)
        .map(ho -> Map.of("id", ho.id(), "doctor", ho.doctor(), "state", ho.stateLabel(), "reason", ho.reason(),
            "openedAt", ho.openedAt(), "age", ho.age()));
  }

  /** Visits and other practice events, and the recall reminders sent, newest first. */
  private List<Map<String, Object>> recallsAndVisits(String ext) {
    String recallSop = Labels.sopKind("recall");
    String recallOutbox = Labels.outboxPurpose("sop.recall");
    return detail.timeline(ext).stream()
        .filter(e -> "activity".equals(e.kind()) || ("sop".equals(e.kind()) && recallSop.equals(e.label()))
            || ("outbox".equals(e.kind()) && recallOutbox.equals(e.text())))
        .limit(RECENT_VISITS)
        .map(e -> Map.<String, Object>of("at", e.at(), "label", "outbox".equals(e.kind()) ? recallSop : e.label(),
            "text", "outbox".equals(e.kind()) ? "" : e.text(), "detail", e.detail()))
        .toList();
  }

  private List<Map<String, String>> doctors() {
    if (accounts == null) {
      return List.of();
    }
    return accounts.doctors().stream()
        .map(d -> Map.of("id", d.id(), "name", d.nickname() + (d.role() == null ? "" : " · " + d.role()))).toList();
  }
}
