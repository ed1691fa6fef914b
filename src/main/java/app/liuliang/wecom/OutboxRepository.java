package app.liuliang.wecom;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import app.liuliang.store.Database;
import app.liuliang.store.Node;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** SQL over the outbox table. */
public final class OutboxRepository {

  private static final String COLUMNS = "id, idem_key, purpose, api, body, external_userid, patient_facing, "
      + "resend_safe, created_at, not_before, deadline, status, attempts, errcode, last_error, response, sent_at, "
      + "outcome_unknown";

  private final Jdbi jdbi;
  private final Jdbi durable;
  private final ObjectMapper json;
  private final boolean shared;
  private final String skipLocked;

  OutboxRepository(Database database, ObjectMapper json) {
    this.jdbi = database.jdbi();
    this.durable = database.durableJdbi();
    this.json = json;
    this.shared = database.isPostgres();
    this.skipLocked = database.skipLocked();
  }

  boolean insert(Handle h, OutboxRequest r, long now) {
    return h.createUpdate("INSERT INTO outbox (idem_key, purpose, api, body, external_userid, patient_facing, "
            + "resend_safe, created_at, not_before, deadline, status, attempts, next_attempt_at) "
            + "VALUES (:key, :purpose, :api, :body, :ext, :pf, :rs, :now, :nb, :dl, 'pending', 0, :nb) "
            + "ON CONFLICT (idem_key) DO NOTHING")
        .bind("key", r.idemKey()).bind("purpose", r.purpose()).bind("api", r.api())
        .bind("body", write(r.body())).bind("ext", r.externalUserId())
        .bind("pf", r.patientFacing() ? 1 : 0).bind("rs", r.resendSafe() ? 1 : 0)
        .bind("now", now).bind("nb", r.notBefore().toEpochMilli()).bind("dl", r.deadline().toEpochMilli())
        .execute() == 1;
  }

  /**
   * Takes due rows and marks them sending under this node's lease, in one durable statement: no two
   * workers or nodes send one row, and after a power cut a row that may have gone out is known to be
   * "sending", never "pending". The nearest deadline goes first: a welcome's 20 s window before a tag's day.
   */
  List<OutboxItem> claimDue(Node node, long now, int limit) {
    // RETURNING gives the row after the update; the worker reasons with the attempts made before this one.
    String returning = COLUMNS.replace("status, attempts,", "status, attempts - 1,");
    return durable.withHandle(h -> h.createQuery("UPDATE outbox SET status = 'sending', attempts = attempts + 1, "
            + "owner = :me, lease_until = :until WHERE id IN (SELECT id FROM outbox "
            + "WHERE status = 'pending' AND next_attempt_at <= :now ORDER BY deadline, id LIMIT :limit" + skipLocked
            + ") RETURNING " + returning)
        .bind("me", node.id()).bind("until", node.leaseUntil(now)).bind("now", now).bind("limit", limit)
        .map((rs, ctx) -> map(rs)).list())
        .stream().sorted(Comparator.comparingLong(OutboxItem::deadline).thenComparingLong(OutboxItem::id)).toList();
  }

  /** Keeps the rows this node is sending its own while it lives. */
  int renewLeases(Node node, long now) {
    return durable.withHandle(h -> h.createUpdate("UPDATE outbox SET lease_until = :until "
            + "WHERE owner = :me AND status = 'sending'")
        .bind("until", node.leaseUntil(now)).bind("me", node.id()).execute());
  }

  /**
   * Every status change below moves only a row this node holds ("sending", its owner): a compare-and-set.
   * A node whose lease ran out finds the row taken over, and its late outcome changes nothing.
   */
  int markSent(Handle h, Node node, long id, JsonNode response, long now) {
    return h.createUpdate("UPDATE outbox SET status = 'sent', response = :resp, sent_at = :now, "
            + "errcode = NULL, last_error = NULL, outcome_unknown = 0 WHERE id = :id AND status = 'sending' AND owner = :me")
        .bind("resp", write(response)).bind("now", now).bind("id", id).bind("me", node.id()).execute();
  }

  int markEnded(Handle h, Node node, long id, String status, Integer errcode, String error) {
    return h.createUpdate("UPDATE outbox SET status = :status, errcode = :errcode, last_error = :error "
            + "WHERE id = :id AND status = 'sending' AND owner = :me")
        .bind("status", status).bind("errcode", errcode).bind("error", error).bind("id", id).bind("me", node.id())
        .execute();
  }

  /** Back to pending for another try at {@code at}; {@code outcomeUnknown} says WeCom must be asked first. */
  int retryAt(Handle h, Node node, long id, long at, Integer errcode, String error, boolean outcomeUnknown) {
    return h.createUpdate("UPDATE outbox SET status = 'pending', next_attempt_at = :at, errcode = :errcode, "
            + "last_error = :error, outcome_unknown = :unknown WHERE id = :id AND status = 'sending' AND owner = :me")
        .bind("at", at).bind("errcode", errcode).bind("error", error).bind("unknown", outcomeUnknown ? 1 : 0)
        .bind("id", id).bind("me", node.id()).execute();
  }

  /**
   * Rows left "sending" by a crash or a dead node may or may not have reached WeCom. They go back to
   * pending with their outcome unknown when WeCom can tell what happened (it drops a repeat itself, or a
   * check can look the action up) or when no patient sees them; the rest become uncertain and are not
   * resent. Only interrupted rows are touched: on SQLite (one node) every "sending" row at start; on
   * PostgreSQL this node's own from before a restart, and any whose lease ran out, never a live node's.
   */
  int[] resumeInterrupted(Node node, long now, java.util.Collection<String> checkableApis, boolean atStart) {
    List<String> apis = checkableApis.isEmpty() ? List.of("-") : List.copyOf(checkableApis);
    String interrupted = "status = 'sending' AND (:all = 1 OR lease_until < :now OR (:atStart = 1 AND owner = :me))";
    int all = !shared && atStart ? 1 : 0;
    return durable.inTransaction(h -> new int[] {
        h.createUpdate("UPDATE outbox SET status = 'pending', outcome_unknown = 1, owner = NULL WHERE " + interrupted
                + " AND (resend_safe = 1 OR patient_facing = 0 OR api IN (<apis>))")
            .bindList("apis", apis).bind("all", all).bind("atStart", atStart ? 1 : 0).bind("now", now)
            .bind("me", node.id()).execute(),
        h.createUpdate("UPDATE outbox SET status = 'uncertain', owner = NULL, "
                + "last_error = 'interrupted while sending; not resent' WHERE " + interrupted)
            .bind("all", all).bind("atStart", atStart ? 1 : 0).bind("now", now).bind("me", node.id()).execute()
    });
  }

  int cancelPendingFor(Handle h, String externalUserId, String reason) {
    return h.createUpdate("UPDATE outbox SET status = 'cancelled', last_error = :reason "
            + "WHERE external_userid = :ext AND status = 'pending'")
        .bind("reason", reason).bind("ext", externalUserId).execute();
  }

  /** Operator retry of an ended action; a sent one is never sent again. */
  boolean requeue(long id, long now) {
    // outcome_unknown = 0: the operator looked and decided to send again.
    return jdbi.withHandle(h -> h.createUpdate("UPDATE outbox SET status = 'pending', next_attempt_at = :now, "
            + "attempts = 0, outcome_unknown = 0, deadline = CASE WHEN deadline < :later THEN :later ELSE deadline END "
            + "WHERE id = :id AND status IN ('failed', 'expired', 'uncertain')")
        .bind("now", now).bind("later", now + 3_600_000L).bind("id", id).execute() == 1);
  }

  public java.util.Optional<OutboxItem> find(long id) {
    return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM outbox WHERE id = :id")
        .bind("id", id).map((rs, ctx) -> map(rs)).findOne());
  }

  public java.util.Optional<OutboxItem> findByKey(String idemKey) {
    return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM outbox WHERE idem_key = :key")
        .bind("key", idemKey).map((rs, ctx) -> map(rs)).findOne());
  }

  /** Rows in the given statuses, newest first. */
  public List<OutboxItem> inStatus(List<String> statuses, int limit) {
    return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM outbox WHERE status IN (<statuses>) "
            + "ORDER BY id DESC LIMIT :limit")
        .bindList("statuses", statuses).bind("limit", limit).map((rs, ctx) -> map(rs)).list());
  }

  public List<OutboxItem> byPurpose(String purposePrefix, int limit) {
    return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM outbox WHERE purpose LIKE :p "
            + "ORDER BY id DESC LIMIT :limit")
        .bind("p", purposePrefix + "%").bind("limit", limit).map((rs, ctx) -> map(rs)).list());
  }

  public Map<String, Long> countByStatus() {
    return jdbi.withHandle(h -> h.createQuery("SELECT status, COUNT(*) FROM outbox GROUP BY status")
        .reduceRows(new TreeMap<String, Long>(), (acc, row) -> {
          acc.put(row.getColumn(1, String.class), row.getColumn(2, Long.class));
          return acc;
        }));
  }

  /** Counts of ended-unsuccessful rows by errcode ("none" for transport failures). */
  public Map<String, Long> failuresByErrcode() {
    return jdbi.withHandle(h -> h.createQuery("SELECT COALESCE(CAST(errcode AS TEXT), 'none'), COUNT(*) FROM outbox "
            + "WHERE status IN ('failed', 'expired', 'uncertain') GROUP BY errcode")
        .reduceRows(new TreeMap<String, Long>(), (acc, row) -> {
          acc.put(row.getColumn(1, String.class), row.getColumn(2, Long.class));
          return acc;
        }));
  }

  /** Pending and in-flight actions: the outbox depth. */
  public long depth() {
    return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending')")
        .mapTo(Long.class).one());
  }

  private OutboxItem map(ResultSet rs) throws SQLException {
    Integer errcode = rs.getObject(14) == null ? null : rs.getInt(14);
    Long sentAt = rs.getObject(17) == null ? null : rs.getLong(17);
    return new OutboxItem(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), read(rs.getString(5)),
        rs.getString(6), rs.getInt(7) == 1, rs.getInt(8) == 1, rs.getLong(9), rs.getLong(10), rs.getLong(11),
        rs.getString(12), rs.getInt(13), errcode, rs.getString(15), read(rs.getString(16)), sentAt, rs.getInt(18) == 1);
  }

  private String write(JsonNode node) {
    try {
      return node == null ? null : json.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("outbox body is not serialisable", e);
    }
  }

  private JsonNode read(String text) {
    try {
      return text == null ? null : json.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("outbox row holds invalid JSON", e);
    }
  }

  /** See {@link Outbox#readdressPending}: only single-patient sends ({@code sender} + that one patient). */
  List<String> readdressPending(String externalUserId, String fromSender, String toSender) {
    return jdbi.withHandle(h -> {
      List<String> changed = new java.util.ArrayList<>();
      List<Map<String, Object>> rows = h.createQuery("SELECT id, idem_key, body FROM outbox WHERE external_userid = :ext "
          + "AND status = 'pending'").bind("ext", externalUserId).mapToMap().list();
      for (Map<String, Object> row : rows) {
        String before = (String) row.get("body");
        JsonNode body = read(before);
        JsonNode targets = body.path("external_userid");
        boolean single = targets.isArray() ? targets.size() == 1 : targets.isTextual();
        if (!(body instanceof com.fasterxml.jackson.databind.node.ObjectNode object) || !single
            || !fromSender.equals(body.path("sender").asText())) {
          continue;
        }
        object.put("sender", toSender);
        if (h.createUpdate("UPDATE outbox SET body = :after WHERE id = :id AND status = 'pending' AND body = :before")
            .bind("after", write(object)).bind("id", ((Number) row.get("id")).longValue()).bind("before", before)
            .execute() == 1) {
          changed.add((String) row.get("idem_key"));
        }
      }
      return changed;
    });
  }
}
