package app.liuliang.message;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** SQL over {@code kf_cursors}, {@code messages} and {@code kf_rejects}. */
final class MessageRepository {

  /** A stored message as handling needs it. */
  record StoredMessage(long id, String msgid, String externalUserId, String openKfId, int origin, String msgtype,
      String content, long at) {
  }

  /** A message to store: {@code origin} 3 customer, 4 event, 5 servicer (stored as "out"). */
  record NewMessage(String msgid, String externalUserId, String openKfId, int origin, String msgtype, String content,
      long at) {

    /** WeCom's origin 5 is our own staff (servicer) writing; 3 (customer) and 4 (event) come from the patient's side. */
    boolean incoming() {
      return origin != 5;
    }
  }

  private final Jdbi jdbi;

  MessageRepository(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  Jdbi jdbi() {
    return jdbi;
  }

  Optional<String> cursor(String openKfId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT cursor FROM kf_cursors WHERE open_kfid = :id")
        .bind("id", openKfId).mapTo(String.class).findOne());
  }

  /**
   * Takes the right to sync this kf account until {@code until}: true when no other node holds it (or its
   * lease ran out). The row is created with an empty cursor the first time.
   */
  boolean holdSync(String openKfId, String node, long now, long until) {
    return jdbi.withHandle(h -> h.createUpdate("INSERT INTO kf_cursors (open_kfid, cursor, updated_at, owner, lease_until) "
            + "VALUES (:id, '', :now, :me, :until) ON CONFLICT (open_kfid) DO UPDATE SET owner = excluded.owner, "
            + "lease_until = excluded.lease_until WHERE kf_cursors.owner IS NULL OR kf_cursors.owner = excluded.owner "
            + "OR kf_cursors.lease_until < :now")
        .bind("id", openKfId).bind("now", now).bind("me", node).bind("until", until).execute() == 1);
  }

  void releaseSync(String openKfId, String node) {
    jdbi.useHandle(h -> h.createUpdate("UPDATE kf_cursors SET owner = NULL, lease_until = 0 "
        + "WHERE open_kfid = :id AND owner = :me").bind("id", openKfId).bind("me", node).execute());
  }

  /**
   * Moves the cursor from {@code from} to {@code to}, only forward: while this node holds the sync and the
   * cursor is still the one its page was asked with. False when another node moved it meanwhile.
   */
  boolean saveCursor(Handle h, String openKfId, String node, String from, String to, long now) {
    return h.createUpdate("UPDATE kf_cursors SET cursor = :to, updated_at = :now "
            + "WHERE open_kfid = :id AND cursor = :from AND owner = :me")
        .bind("id", openKfId).bind("to", to).bind("from", from).bind("me", node).bind("now", now).execute() == 1;
  }

  /**
   * Stores a message unless its msgid is known; true when it is new. Customer messages and events
   * wait for handling; servicer messages and our own are stored handled.
   */
  boolean insert(Handle h, NewMessage m, long now) {
    boolean incoming = m.incoming();
    return h.createUpdate("INSERT INTO messages (msgid, external_userid, open_kfid, direction, msgtype, content, at, "
            + "handled_at) VALUES (:msgid, :ext, :kf, :dir, :type, :content, :at, :handled) ON CONFLICT (msgid) DO NOTHING")
        .bind("msgid", m.msgid()).bind("ext", m.externalUserId()).bind("kf", m.openKfId())
        .bind("dir", incoming ? "in" : "out").bind("type", m.origin() == 4 ? "event" : m.msgtype())
        .bind("content", m.content()).bind("at", m.at()).bind("handled", incoming ? null : (Long) now)
        .execute() == 1;
  }

  void reject(Handle h, String openKfId, String reason, String payload, long now) {
    h.createUpdate("INSERT INTO kf_rejects (open_kfid, reason, payload, at) VALUES (:kf, :reason, :payload, :now)")
        .bind("kf", openKfId).bind("reason", reason).bind("payload", payload).bind("now", now).execute();
  }

  long rejectCount() {
    return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM kf_rejects").mapTo(Long.class).one());
  }

  /** Stored but not yet handled (a crash between storing and handling), oldest first. */
  List<StoredMessage> unhandled(String openKfId, int limit) {
    return jdbi.withHandle(h -> h.createQuery("SELECT id, msgid, external_userid, open_kfid, msgtype, content, at "
            + "FROM messages WHERE direction = 'in' AND handled_at IS NULL AND open_kfid = :kf ORDER BY id LIMIT :limit")
        .bind("kf", openKfId).bind("limit", limit)
        .map((rs, ctx) -> new StoredMessage(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
            "event".equals(rs.getString(5)) ? 4 : 3, rs.getString(5), rs.getString(6), rs.getLong(7)))
        .list());
  }

  void markHandled(long id, String intent, long now) {
    jdbi.useHandle(h -> h.createUpdate("UPDATE messages SET handled_at = :now, intent = :intent WHERE id = :id")
        .bind("now", now).bind("intent", intent).bind("id", id).execute());
  }

  /** The last {@code limit} texts of a patient, both ways, oldest first. */
  List<String> recentTexts(String externalUserId, int limit) {
    List<String> newestFirst = jdbi.withHandle(h -> h.createQuery("SELECT direction, content FROM messages "
            + "WHERE external_userid = :ext AND msgtype = 'text' ORDER BY at DESC, id DESC LIMIT :limit")
        .bind("ext", externalUserId).bind("limit", limit)
        .map((rs, ctx) -> ("in".equals(rs.getString(1)) ? "患者：" : "我们：") + rs.getString(2)).list());
    List<String> oldestFirst = new ArrayList<>(newestFirst);
    Collections.reverse(oldestFirst);
    return oldestFirst;
  }

  /** Deletes messages older than {@code before}; returns how many. */
  int purgeBefore(long before) {
    return jdbi.withHandle(h -> h.createUpdate("DELETE FROM messages WHERE at < :before AND handled_at IS NOT NULL").bind("before", before).execute());
  }
}
