package app.liuliang.sop;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** SQL for sop_plans, sop_items, sop_deliveries and sop_broadcasts (plain SQL, PostgreSQL-safe). */
final class SopRepository {

  static final String SCHEDULED = "scheduled";
  static final String SENDING = "sending";
  static final String SENT = "sent";
  static final String CONFIRMED = "confirmed";
  static final String FAILED = "failed";
  static final String MISSED = "missed";
  static final String REMOVED = "removed";

  /** An item with its stored status. */
  record StoredItem(SopItem item, String status, String detail) {
  }

  /** What a reload changed. */
  record Diff(List<SopItem> added, List<SopItem> changed, List<String> removed) {
  }

  /** One broadcast or Moments task we created. */
  record Broadcast(String outboxKey, String week, String itemId, String sender, String kind, String ref,
      String status, Long sentAt, Long remindedAt, String momentId) {
  }

  private final Jdbi jdbi;
  private final ObjectMapper json;
  private final boolean postgres;

  SopRepository(app.liuliang.store.Database database, ObjectMapper json) {
    this.jdbi = database.jdbi();
    this.json = json;
    this.postgres = database.isPostgres();
  }

  Jdbi jdbi() {
    return jdbi;
  }

  Optional<String> checksum(String key) {
    return jdbi.withHandle(h -> h.createQuery("SELECT checksum FROM sop_plans WHERE week = :k")
        .bind("k", key).mapTo(String.class).findOne());
  }

  /** Whether the plan's file, as last read, was invalid (its previous items still run). */
  boolean invalid(String key) {
    return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM sop_plans WHERE week = :k AND status = 'invalid'")
        .bind("k", key).mapTo(Integer.class).one()) > 0;
  }

  Map<String, String> planFiles() {
    return jdbi.withHandle(h -> {
      Map<String, String> out = new LinkedHashMap<>();
      h.createQuery("SELECT week, file FROM sop_plans ORDER BY week").map((rs, ctx) -> {
        out.put(rs.getString(1), rs.getString(2));
        return null;
      }).list();
      return out;
    });
  }

  void savePlan(Handle h, String key, String file, String checksum, String status, String errors, long now) {
    h.createUpdate("INSERT INTO sop_plans (week, file, checksum, status, errors, loaded_at) "
            + "VALUES (:k, :f, :c, :s, :e, :now) ON CONFLICT (week) DO UPDATE SET file = excluded.file, "
            + "checksum = excluded.checksum, status = excluded.status, errors = excluded.errors, loaded_at = excluded.loaded_at")
        .bind("k", key).bind("f", file).bind("c", checksum).bind("s", status).bind("e", errors).bind("now", now)
        .execute();
  }

  /**
   * Replaces a plan's items in one transaction: new ones scheduled, changed ones (not yet sent)
   * updated, vanished ones removed. Items already sent or sending are never touched.
   */
  Diff replaceItems(LoadedPlan plan, long now) {
    return jdbi.inTransaction(h -> {
      savePlan(h, plan.key(), plan.file().toString(), plan.checksum(), "valid", null, now);
      Map<String, StoredItem> old = new HashMap<>();
      for (StoredItem s : items(h, plan.key())) {
        old.put(s.item().id(), s);
      }
      List<SopItem> added = new ArrayList<>();
      List<SopItem> changed = new ArrayList<>();
      for (SopItem item : plan.items()) {
        StoredItem before = old.remove(item.id());
        if (before == null) {
          if (upsert(h, item, now)) {
            added.add(item);
          }
        } else if ((SCHEDULED.equals(before.status()) && !before.item().equals(item)) || REMOVED.equals(before.status())) {
          if (upsert(h, item, now)) {
            changed.add(item);
          }
        }
      }
      List<String> removed = new ArrayList<>();
      for (StoredItem gone : old.values()) {
        if (SCHEDULED.equals(gone.status())) {
          if (h.createUpdate("UPDATE sop_items SET status = 'removed', updated_at = :now WHERE week = :w AND item_id = :i "
                  + "AND status = 'scheduled'")
              .bind("now", now).bind("w", plan.key()).bind("i", gone.item().id()).execute() == 1) {
            removed.add(gone.item().id());
          }
        }
      }
      return new Diff(added, changed, removed);
    });
  }

  /**
   * Stores the item as planned; false when it is no longer only planned (another node claimed it for
   * sending, or sent it, since this reload read it): a plan edit never resets a claim into a second send.
   */
  private boolean upsert(Handle h, SopItem item, long now) {
    return h.createUpdate("INSERT INTO sop_items (week, item_id, kind, due_at, audience, text_preview, status, detail, updated_at, spec) "
            + "VALUES (:w, :i, :kind, :due, :aud, :preview, 'scheduled', NULL, :now, :spec) "
            + "ON CONFLICT (week, item_id) DO UPDATE SET kind = excluded.kind, due_at = excluded.due_at, "
            + "audience = excluded.audience, text_preview = excluded.text_preview, status = 'scheduled', "
            + "detail = NULL, updated_at = excluded.updated_at, spec = excluded.spec "
            + "WHERE sop_items.status IN ('scheduled', 'removed')")
        .bind("w", item.plan()).bind("i", item.id()).bind("kind", item.kind()).bind("due", item.dueAt())
        .bind("aud", audienceText(item)).bind("preview", item.preview()).bind("now", now).bind("spec", write(item))
        .execute() == 1;
  }

  static String audienceText(SopItem item) {
    String who = item.senders().isEmpty() ? "" : String.join(",", item.senders()) + ": ";
    if (SopItem.GROUP.equals(item.channel())) {
      return item.categories().isEmpty() ? who + "their groups" : who + String.join(",", item.categories());
    }
    return who + item.audience().describe();
  }

  List<StoredItem> items(String key) {
    return jdbi.withHandle(h -> items(h, key));
  }

  private List<StoredItem> items(Handle h, String key) {
    return h.createQuery("SELECT spec, status, detail FROM sop_items WHERE week = :w AND spec IS NOT NULL ORDER BY due_at, item_id")
        .bind("w", key)
        .map((rs, ctx) -> new StoredItem(read(rs.getString(1)), rs.getString(2), rs.getString(3))).list();
  }

  List<StoredItem> withStatus(String status) {
    return jdbi.withHandle(h -> h.createQuery("SELECT spec, status, detail FROM sop_items WHERE status = :s AND spec IS NOT NULL ORDER BY due_at")
        .bind("s", status)
        .map((rs, ctx) -> new StoredItem(read(rs.getString(1)), rs.getString(2), rs.getString(3))).list());
  }

  Optional<StoredItem> item(String key, String id) {
    return jdbi.withHandle(h -> h.createQuery("SELECT spec, status, detail FROM sop_items WHERE week = :w AND item_id = :i AND spec IS NOT NULL")
        .bind("w", key).bind("i", id)
        .map((rs, ctx) -> new StoredItem(read(rs.getString(1)), rs.getString(2), rs.getString(3))).findOne());
  }

  /** Takes a scheduled item for sending; false when someone else did (or it is no longer scheduled). */
  boolean claim(String key, String id, long now) {
    return jdbi.withHandle(h -> h.createUpdate("UPDATE sop_items SET status = 'sending', updated_at = :now "
            + "WHERE week = :w AND item_id = :i AND status = 'scheduled'")
        .bind("now", now).bind("w", key).bind("i", id).execute()) == 1;
  }

  /**
   * Moves the item from status {@code from} to {@code to}; false when it is no longer {@code from} (another
   * node moved it first). Every status change after the claim is one of these compare-and-sets.
   */
  boolean moveStatus(String key, String id, String from, String to, String detail, long now) {
    return jdbi.withHandle(h -> h.createUpdate("UPDATE sop_items SET status = :to, detail = :d, updated_at = :now "
            + "WHERE week = :w AND item_id = :i AND status = :from")
        .bind("to", to).bind("from", from).bind("d", detail).bind("now", now).bind("w", key).bind("i", id).execute()) == 1;
  }

  Map<String, Long> countByStatus(String key) {
    return jdbi.withHandle(h -> {
      Map<String, Long> out = new LinkedHashMap<>();
      h.createQuery("SELECT status, COUNT(*) FROM sop_items WHERE week = :w GROUP BY status ORDER BY status")
          .bind("w", key).map((rs, ctx) -> out.put(rs.getString(1), rs.getLong(2))).list();
      return out;
    });
  }

  /** Records a send to one target; false when this (plan, item, target) was already delivered. */
  /**
   * Holds off every other transaction that adds deliveries until this one commits, so a per-patient cap
   * counted inside it stays true: two items (two nodes, or two Quartz threads) firing at once cannot both
   * see a patient one message under the cap. On SQLite the IMMEDIATE transaction already does this.
   */
  void lockDeliveries(Handle h) {
    if (postgres) {
      h.execute("LOCK TABLE sop_deliveries IN SHARE ROW EXCLUSIVE MODE");
    }
  }

  boolean insertDelivery(Handle h, String key, String itemId, String target, String outboxKey, String status, long at) {
    return h.createUpdate("INSERT INTO sop_deliveries (week, item_id, target, outbox_key, status, at) "
            + "VALUES (:w, :i, :t, :k, :s, :at) ON CONFLICT (week, item_id, target) DO NOTHING")
        .bind("w", key).bind("i", itemId).bind("t", target).bind("k", outboxKey).bind("s", status).bind("at", at)
        .execute() == 1;
  }

  java.util.Set<String> targetsReached(String key, String itemId) {
    return jdbi.withHandle(h -> new java.util.HashSet<>(h.createQuery(
            "SELECT target FROM sop_deliveries WHERE week = :w AND item_id = :i")
        .bind("w", key).bind("i", itemId).mapTo(String.class).list()));
  }

  void insertBroadcast(Handle h, String outboxKey, String key, String itemId, String sender, String kind, long now) {
    h.createUpdate("INSERT INTO sop_broadcasts (outbox_key, week, item_id, sender, kind, status, created_at) "
            + "VALUES (:k, :w, :i, :s, :kind, 'queued', :now) ON CONFLICT (outbox_key) DO NOTHING")
        .bind("k", outboxKey).bind("w", key).bind("i", itemId).bind("s", sender).bind("kind", kind).bind("now", now)
        .execute();
  }

  Optional<Broadcast> broadcast(String outboxKey) {
    return jdbi.withHandle(h -> h.createQuery("SELECT " + BROADCAST + " FROM sop_broadcasts WHERE outbox_key = :k")
        .bind("k", outboxKey).map((rs, ctx) -> broadcastRow(rs)).findOne());
  }

  /** Sent broadcasts not yet confirmed, newest first, sent after {@code since}. */
  List<Broadcast> awaitingConfirmation(long since) {
    return jdbi.withHandle(h -> h.createQuery("SELECT " + BROADCAST + " FROM sop_broadcasts "
            + "WHERE status = 'sent' AND ref IS NOT NULL AND sent_at >= :since ORDER BY sent_at DESC LIMIT 500")
        .bind("since", since).map((rs, ctx) -> broadcastRow(rs)).list());
  }

  void updateBroadcast(String outboxKey, String status, String ref, String detail, Long sentAt, Long confirmedAt) {
    jdbi.useHandle(h -> h.createUpdate("UPDATE sop_broadcasts SET status = :s, ref = COALESCE(:ref, ref), "
            + "detail = COALESCE(:d, detail), sent_at = COALESCE(:sent, sent_at), confirmed_at = COALESCE(:conf, confirmed_at) "
            + "WHERE outbox_key = :k")
        .bind("s", status).bind("ref", ref).bind("d", detail).bind("sent", sentAt).bind("conf", confirmedAt)
        .bind("k", outboxKey).execute());
  }

  /** The Moments task finished: WeCom made the moment; its senders still have to publish it. */
  void recordMoment(String outboxKey, String momentId, String detail) {
    jdbi.useHandle(h -> h.createUpdate("UPDATE sop_broadcasts SET moment_id = :m, detail = :d WHERE outbox_key = :k")
        .bind("m", momentId).bind("d", detail).bind("k", outboxKey).execute());
  }

  /** The targets of one item's deliveries that have this status. */
  List<String> deliveryTargets(String key, String itemId, String status) {
    return jdbi.withHandle(h -> h.createQuery(
            "SELECT target FROM sop_deliveries WHERE week = :w AND item_id = :i AND status = :s ORDER BY target")
        .bind("w", key).bind("i", itemId).bind("s", status).mapTo(String.class).list());
  }

  /**
   * Sets the status of the deliveries one broadcast made to these targets; {@code at} stays the send
   * time, which the per-patient caps count from.
   */
  void updateDeliveries(String outboxKey, Map<String, String> statusByTarget) {
    jdbi.useTransaction(h -> {
      var update = h.prepareBatch("UPDATE sop_deliveries SET status = :s WHERE outbox_key = :k AND target = :t");
      statusByTarget.forEach((target, status) -> update.bind("s", status).bind("k", outboxKey).bind("t", target).add());
      if (!statusByTarget.isEmpty()) {
        update.execute();
      }
    });
  }

  void markReminded(String outboxKey, long now) {
    jdbi.useHandle(h -> h.createUpdate("UPDATE sop_broadcasts SET reminded_at = :now WHERE outbox_key = :k")
        .bind("now", now).bind("k", outboxKey).execute());
  }

  /** Broadcast statuses of one item: queued / sent / confirmed / failed → count. */
  Map<String, Long> broadcastStatuses(String key, String itemId) {
    return jdbi.withHandle(h -> {
      Map<String, Long> out = new HashMap<>();
      h.createQuery("SELECT status, COUNT(*) FROM sop_broadcasts WHERE week = :w AND item_id = :i GROUP BY status")
          .bind("w", key).bind("i", itemId).map((rs, ctx) -> out.put(rs.getString(1), rs.getLong(2))).list();
      return out;
    });
  }

  private static final String BROADCAST =
      "outbox_key, week, item_id, sender, kind, ref, status, sent_at, reminded_at, moment_id";

  private static Broadcast broadcastRow(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new Broadcast(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
        rs.getString(6), rs.getString(7), nullableLong(rs, 8), nullableLong(rs, 9), rs.getString(10));
  }

  private static Long nullableLong(java.sql.ResultSet rs, int column) throws java.sql.SQLException {
    long value = rs.getLong(column);
    return rs.wasNull() ? null : value;
  }

  private String write(SopItem item) {
    try {
      return json.writeValueAsString(item);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot store item " + item.jobName(), e);
    }
  }

  private SopItem read(String spec) {
    try {
      return json.readValue(spec, SopItem.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable sop item spec", e);
    }
  }
}
