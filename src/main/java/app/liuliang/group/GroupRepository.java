package app.liuliang.group;

import app.liuliang.wecom.WeComClient.GroupChat;
import app.liuliang.wecom.WeComClient.GroupMember;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * SQL for {@code group_chats}, {@code group_members} and {@code group_member_changes}. Every write
 * decides by itself (upsert, insert-or-ignore, compare-and-set): two nodes or two refreshes of one
 * group never both record a join.
 */
final class GroupRepository {

  /** What we last stored about a group. */
  record Stored(String chatId, String status, String memberVersion, long fetchedAt, String category, String owner) {
    boolean dismissed() {
      return "dismissed".equals(status);
    }
  }

  /** A join or leave whose effects (tags, layer, alert) may still be due. */
  record Change(long id, String chatId, String memberId, String change, long at) {
  }

  Optional<Stored> find(Handle h, String chatId) {
    return h.createQuery("SELECT chat_id, status, member_version, fetched_at, category, owner FROM group_chats "
            + "WHERE chat_id = :chat")
        .bind("chat", chatId)
        .map((rs, ctx) -> new Stored(rs.getString("chat_id"), rs.getString("status"), rs.getString("member_version"),
            rs.getLong("fetched_at"), rs.getString("category"), rs.getString("owner")))
        .findOne();
  }

  /**
   * Stores the group as a fetch begun at {@code fetchedAt} saw it. False when a fetch begun later was
   * stored already, or the group was dismissed meanwhile: this snapshot is stale and must not be applied.
   */
  boolean upsertGroup(Handle h, GroupChat chat, String category, long fetchedAt, long now) {
    return h.createUpdate("INSERT INTO group_chats (chat_id, name, owner, notice, category, member_version, created_at, "
            + "fetched_at, updated_at) VALUES (:chat, :name, :owner, :notice, :category, :version, :created, :fetched, :now) "
            + "ON CONFLICT (chat_id) DO UPDATE SET name = excluded.name, owner = excluded.owner, notice = excluded.notice, "
            + "category = excluded.category, member_version = excluded.member_version, created_at = excluded.created_at, "
            + "fetched_at = excluded.fetched_at, updated_at = excluded.updated_at "
            + "WHERE group_chats.fetched_at <= excluded.fetched_at AND group_chats.status = 'active'")
        .bind("chat", chat.chatId()).bind("name", chat.name()).bind("owner", chat.owner()).bind("notice", chat.notice())
        .bind("category", category).bind("version", chat.memberVersion()).bind("created", chat.createTime() * 1000)
        .bind("fetched", fetchedAt).bind("now", now)
        .execute() == 1;
  }

  /**
   * Makes the stored members those of {@code members}: new and returning members are joins, members
   * no longer listed are leaves (at {@code leftAt}). Returns the changes recorded.
   */
  List<Change> applyMembers(Handle h, String chatId, List<GroupMember> members, long leftAt, Integer quitScene) {
    List<Change> changes = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    for (GroupMember m : members) {
      ids.add(m.userId());
      long joinedAt = m.joinTime() * 1000;
      boolean joined = h.createUpdate("INSERT INTO group_members (chat_id, member_id, type, unionid, join_time, join_scene, "
              + "invitor, group_nickname, name, state) VALUES (:chat, :id, :type, :unionid, :joined, :scene, :invitor, "
              + ":nick, :name, :state) ON CONFLICT (chat_id, member_id) DO NOTHING")
          .bind("chat", chatId).bind("id", m.userId()).bind("type", m.type()).bind("unionid", m.unionId())
          .bind("joined", joinedAt).bind("scene", m.joinScene()).bind("invitor", m.invitor())
          .bind("nick", m.groupNickname()).bind("name", m.name()).bind("state", m.state())
          .execute() == 1;
      if (!joined) {
        joined = h.createUpdate("UPDATE group_members SET left_at = NULL, quit_scene = NULL, join_time = :joined, "
                + "join_scene = :scene, invitor = :invitor, state = :state WHERE chat_id = :chat AND member_id = :id "
                + "AND left_at IS NOT NULL")
            .bind("chat", chatId).bind("id", m.userId()).bind("joined", joinedAt).bind("scene", m.joinScene())
            .bind("invitor", m.invitor()).bind("state", m.state())
            .execute() == 1;
        h.createUpdate("UPDATE group_members SET group_nickname = :nick, name = :name WHERE chat_id = :chat AND member_id = :id")
            .bind("chat", chatId).bind("id", m.userId()).bind("nick", m.groupNickname()).bind("name", m.name()).execute();
      }
      if (joined) {
        record(h, chatId, m.userId(), "join", joinedAt).ifPresent(changes::add);
      }
    }
    String notListed = ids.isEmpty() ? "" : " AND member_id NOT IN (<ids>)";
    var leave = h.createQuery("UPDATE group_members SET left_at = :at, quit_scene = :scene WHERE chat_id = :chat "
            + "AND left_at IS NULL" + notListed + " RETURNING member_id")
        .bind("chat", chatId).bind("at", leftAt).bind("scene", quitScene);
    if (!ids.isEmpty()) {
      leave.bindList("ids", ids);
    }
    for (String left : leave.mapTo(String.class).list()) {
      record(h, chatId, left, "leave", leftAt).ifPresent(changes::add);
    }
    return changes;
  }

  private Optional<Change> record(Handle h, String chatId, String memberId, String change, long at) {
    return h.createQuery("INSERT INTO group_member_changes (chat_id, member_id, change, at) VALUES (:chat, :id, :change, :at) "
            + "ON CONFLICT DO NOTHING RETURNING id")
        .bind("chat", chatId).bind("id", memberId).bind("change", change).bind("at", at)
        .mapTo(Long.class).findOne().map(id -> new Change(id, chatId, memberId, change, at));
  }

  /**
   * Marks the group dismissed (created as such when never seen); its members end without a leave of
   * their own, so no churn alert goes out. False when it was dismissed before.
   */
  boolean dismiss(Handle h, String chatId, long at) {
    boolean changed = h.createUpdate("INSERT INTO group_chats (chat_id, status, dismissed_at, updated_at) "
            + "VALUES (:chat, 'dismissed', :at, :at) ON CONFLICT (chat_id) DO UPDATE SET status = 'dismissed', "
            + "dismissed_at = excluded.dismissed_at, updated_at = excluded.updated_at WHERE group_chats.status = 'active'")
        .bind("chat", chatId).bind("at", at).execute() == 1;
    if (changed) {
      h.createUpdate("UPDATE group_members SET left_at = :at WHERE chat_id = :chat AND left_at IS NULL")
          .bind("chat", chatId).bind("at", at).execute();
    }
    return changed;
  }

  /** Active groups of these owners, for the sync to notice groups that vanished from groupchat/list. */
  List<String> activeChatsOwnedBy(Handle h, List<String> owners) {
    if (owners.isEmpty()) {
      return List.of();
    }
    return h.createQuery("SELECT chat_id FROM group_chats WHERE status = 'active' AND owner IN (<owners>)")
        .bindList("owners", owners).mapTo(String.class).list();
  }

  List<Change> pendingEffects(Handle h, String chatId) {
    return h.createQuery("SELECT id, chat_id, member_id, change, at FROM group_member_changes "
            + "WHERE chat_id = :chat AND effects = 'pending' ORDER BY id")
        .bind("chat", chatId)
        .map((rs, ctx) -> new Change(rs.getLong("id"), rs.getString("chat_id"), rs.getString("member_id"),
            rs.getString("change"), rs.getLong("at")))
        .list();
  }

  /** Compare-and-set: true for the one caller that finishes the change's effects. */
  boolean markEffectsDone(Handle h, long changeId) {
    return h.createUpdate("UPDATE group_member_changes SET effects = 'done' WHERE id = :id AND effects = 'pending'")
        .bind("id", changeId).execute() == 1;
  }

  /** The member's type and state as stored (for the effects of a change). */
  Optional<GroupMember> member(Handle h, String chatId, String memberId) {
    return h.createQuery("SELECT * FROM group_members WHERE chat_id = :chat AND member_id = :id")
        .bind("chat", chatId).bind("id", memberId)
        .map((rs, ctx) -> new GroupMember(rs.getString("member_id"), rs.getInt("type"), rs.getString("unionid"),
            rs.getLong("join_time") / 1000, rs.getInt("join_scene"), rs.getString("invitor"),
            rs.getString("group_nickname"), rs.getString("name"), rs.getString("state")))
        .findOne();
  }
}
