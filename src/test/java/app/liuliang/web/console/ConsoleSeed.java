package app.liuliang.web.console;

import org.jdbi.v3.core.Jdbi;

/**
 * Rows in the shared tables, written with plain SQL as issues 3, 4 and 5 will write them: the
 * console is tested against the table contract, not against those features.
 */
final class ConsoleSeed {

  private final Jdbi jdbi;

  ConsoleSeed(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  ConsoleSeed contact(String id, String name, String channel, String layer, long addedAt) {
    jdbi.useHandle(h -> h.execute("INSERT INTO contacts (external_userid, name, channel, layer, status, added_at, updated_at) "
        + "VALUES (?, ?, ?, ?, 'active', ?, ?)", id, name, channel, layer, addedAt, addedAt));
    return this;
  }

  ConsoleSeed contactDetails(String id, String phone, String store, String referralCode) {
    jdbi.useHandle(h -> h.execute("UPDATE contacts SET phone = ?, store = ?, referral_code = ? WHERE external_userid = ?",
        phone, store, referralCode, id));
    return this;
  }

  ConsoleSeed follow(String id, String userId, long at) {
    jdbi.useHandle(h -> h.execute("INSERT INTO contact_follows (external_userid, userid, added_at) VALUES (?, ?, ?)",
        id, userId, at));
    return this;
  }

  ConsoleSeed message(String id, String direction, String text, long at) {
    jdbi.useHandle(h -> h.execute("INSERT INTO messages (msgid, external_userid, open_kfid, direction, msgtype, content, at, "
        + "handled_at) VALUES (?, ?, 'wkKF', ?, 'text', ?, ?, ?)", "m-" + id + "-" + at + "-" + direction, id, direction,
        text, at, at));
    return this;
  }

  /** A hand-off in a kf session, as the messages feature opens it; returns its id. */
  long kfHandoff(String id, String doctor, String state, String reason, long openedAt) {
    return jdbi.withHandle(h -> h.createUpdate("INSERT INTO handoffs (external_userid, open_kfid, doctor_userid, state, "
            + "reason, intent, opened_at, notified_at, route, source_msgid) VALUES (:ext, 'wkKF', :doctor, :state, :reason, "
            + ":reason, :at, :at, 'dr-wang,dr-chen', :source)")
        .bind("ext", id).bind("doctor", doctor).bind("state", state).bind("reason", reason).bind("at", openedAt)
        .bind("source", "src-" + id + "-" + openedAt)
        .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
  }

  ConsoleSeed tag(String id, String tag, long at) {
    jdbi.useHandle(h -> h.execute("INSERT INTO contact_tags (external_userid, tag_name, source, added_at) VALUES (?, ?, 'auto', ?)",
        id, tag, at));
    return this;
  }

  ConsoleSeed layerChange(String id, String from, String to, long at) {
    jdbi.useHandle(h -> h.execute("INSERT INTO layer_changes (external_userid, from_layer, to_layer, reason, at) "
        + "VALUES (?, ?, ?, 'test', ?)", id, from, to, at));
    return this;
  }

  ConsoleSeed referral(String referee, String referrer, long at) {
    jdbi.useHandle(h -> h.execute("INSERT INTO referrals (referee_external_userid, referrer_external_userid, code, created_at) "
        + "VALUES (?, ?, 'CODE', ?)", referee, referrer, at));
    return this;
  }

  ConsoleSeed handoff(String id, String doctor, String state, long openedAt, Long closedAt, int escalation) {
    jdbi.useHandle(h -> h.execute("INSERT INTO handoffs (external_userid, doctor_userid, state, reason, intent, opened_at, "
        + "closed_at, escalation_level) VALUES (?, ?, ?, '患者询问种植费用', 'price', ?, ?, ?)",
        id, doctor, state, openedAt, closedAt, escalation));
    return this;
  }

  ConsoleSeed sopItem(String week, String itemId, String kind, long dueAt, String text, String status) {
    jdbi.useHandle(h -> h.execute("INSERT INTO sop_items (week, item_id, kind, due_at, audience, text_preview, status, updated_at) "
        + "VALUES (?, ?, ?, ?, 'all', ?, ?, ?)", week, itemId, kind, dueAt, text, status, dueAt));
    return this;
  }

  ConsoleSeed sopPlan(String week, String file, String status, String errors, long loadedAt) {
    jdbi.useHandle(h -> h.execute("INSERT INTO sop_plans (week, file, checksum, status, errors, loaded_at) VALUES (?, ?, 'x', ?, ?, ?)",
        week, file, status, errors, loadedAt));
    return this;
  }

  /** An outbox row as the worker leaves it after giving up (or sending). */
  long outbox(String key, String purpose, String status, Integer errcode, String error, long createdAt) {
    return jdbi.withHandle(h -> h.createUpdate("INSERT INTO outbox (idem_key, purpose, api, body, external_userid, "
            + "patient_facing, resend_safe, created_at, not_before, deadline, status, attempts, next_attempt_at, errcode, last_error) "
            + "VALUES (:key, :purpose, '/cgi-bin/externalcontact/send_welcome_msg', '{}', 'wmPatient', 1, 1, :at, :at, :dl, "
            + ":status, 3, :at, :errcode, :error)")
        .bind("key", key).bind("purpose", purpose).bind("status", status).bind("errcode", errcode)
        .bind("error", error).bind("at", createdAt).bind("dl", createdAt + 86_400_000L)
        .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one());
  }

  ConsoleSeed deadCallback(String key, String kind, long at) {
    jdbi.useHandle(h -> h.execute("INSERT INTO inbox (event_key, kind, payload, received_at, status, attempts, next_attempt_at, "
        + "last_error, done_at) VALUES (?, ?, '{}', ?, 'dead', 5, ?, 'handler refused: unknown state', ?)", key, kind, at, at, at));
    return this;
  }
}
