package app.liuliang.transfer;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * SQL over {@code transfer_jobs}, {@code transfer_customers} and {@code transfer_groups}. Every status
 * change names the status it expects (compare-and-set): false or 0 when another worker moved the row first.
 */
final class TransferRepository {

  static final String SUBMITTING = "submitting";
  static final String FOLLOWING = "following";
  static final String DONE = "done";

  /** A job row. */
  record Job(String id, String kind, String from, String to, String layer, String tag, String status,
      String requestedBy, long createdAt, long updatedAt) {
  }

  /** A customer of a job. */
  record Customer(String jobId, String externalUserId, String status, Integer errcode, Long takeoverAt,
      boolean followed) {
  }

  /** A group of a job. */
  record Group(String jobId, String chatId, String status, Integer errcode, String error) {
  }

  private static final String JOB = "id, kind, from_userid, to_userid, layer, tag, status, requested_by, created_at, "
      + "updated_at";

  private final Jdbi jdbi;

  TransferRepository(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  Jdbi jdbi() {
    return jdbi;
  }

  /** The job, its customers (queued) and groups (queued) in one transaction. */
  void insert(Job job, List<String> customers, List<String> chatIds) {
    jdbi.useTransaction(h -> {
      h.createUpdate("INSERT INTO transfer_jobs (" + JOB + ") VALUES (:id, :kind, :from, :to, :layer, :tag, :status, "
              + ":by, :now, :now)")
          .bind("id", job.id()).bind("kind", job.kind()).bind("from", job.from()).bind("to", job.to())
          .bind("layer", job.layer()).bind("tag", job.tag()).bind("status", job.status()).bind("by", job.requestedBy())
          .bind("now", job.createdAt()).execute();
      var customerBatch = h.prepareBatch("INSERT INTO transfer_customers (job_id, external_userid, status, updated_at) "
          + "VALUES (:job, :ext, 'queued', :now) ON CONFLICT (job_id, external_userid) DO NOTHING");
      customers.forEach(ext -> customerBatch.bind("job", job.id()).bind("ext", ext).bind("now", job.createdAt()).add());
      if (!customers.isEmpty()) {
        customerBatch.execute();
      }
      var groupBatch = h.prepareBatch("INSERT INTO transfer_groups (job_id, chat_id, status, updated_at) "
          + "VALUES (:job, :chat, 'queued', :now) ON CONFLICT (job_id, chat_id) DO NOTHING");
      chatIds.forEach(chat -> groupBatch.bind("job", job.id()).bind("chat", chat).bind("now", job.createdAt()).add());
      if (!chatIds.isEmpty()) {
        groupBatch.execute();
      }
    });
  }

  /** Takes the job's lease if it is free (or expired): only the holder submits or follows it. */
  boolean claim(String jobId, String owner, long now, long until) {
    return jdbi.withHandle(h -> h.createUpdate("UPDATE transfer_jobs SET lease_owner = :owner, lease_until = :until "
            + "WHERE id = :id AND status <> 'done' AND lease_until <= :now")
        .bind("owner", owner).bind("until", until).bind("id", jobId).bind("now", now).execute()) == 1;
  }

  void release(String jobId, String owner) {
    jdbi.useHandle(h -> h.createUpdate("UPDATE transfer_jobs SET lease_until = 0 WHERE id = :id AND lease_owner = :owner")
        .bind("id", jobId).bind("owner", owner).execute());
  }

  boolean moveJob(String jobId, String from, String to, long now) {
    return jdbi.withHandle(h -> h.createUpdate("UPDATE transfer_jobs SET status = :to, updated_at = :now "
            + "WHERE id = :id AND status = :from")
        .bind("to", to).bind("now", now).bind("id", jobId).bind("from", from).execute()) == 1;
  }

  /** Jobs not done whose lease is free: what the periodic run works on. */
  List<String> openJobs(long now) {
    return jdbi.withHandle(h -> h.createQuery("SELECT id FROM transfer_jobs WHERE status <> 'done' "
        + "AND lease_until <= :now ORDER BY created_at").bind("now", now).mapTo(String.class).list());
  }

  Optional<Job> job(String id) {
    return jdbi.withHandle(h -> h.createQuery("SELECT " + JOB + " FROM transfer_jobs WHERE id = :id").bind("id", id)
        .map((rs, ctx) -> new Job(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
            rs.getString(6), rs.getString(7), rs.getString(8), rs.getLong(9), rs.getLong(10)))
        .findOne());
  }

  List<Job> recentJobs(int limit) {
    return jdbi.withHandle(h -> h.createQuery("SELECT " + JOB + " FROM transfer_jobs ORDER BY created_at DESC, id DESC "
            + "LIMIT :n").bind("n", limit)
        .map((rs, ctx) -> new Job(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
            rs.getString(6), rs.getString(7), rs.getString(8), rs.getLong(9), rs.getLong(10)))
        .list());
  }

  /** Up to {@code limit} queued customers moved to submitting: the batch this caller submits. */
  List<String> takeBatch(String jobId, int limit, long now) {
    return jdbi.inTransaction(h -> {
      List<String> ids = h.createQuery("SELECT external_userid FROM transfer_customers WHERE job_id = :job "
              + "AND status = 'queued' ORDER BY external_userid LIMIT :n")
          .bind("job", jobId).bind("n", limit).mapTo(String.class).list();
      if (ids.isEmpty()) {
        return ids;
      }
      h.createUpdate("UPDATE transfer_customers SET status = 'submitting', updated_at = :now WHERE job_id = :job "
              + "AND external_userid IN (<ids>) AND status = 'queued'")
          .bind("now", now).bind("job", jobId).bindList("ids", ids).execute();
      return h.createQuery("SELECT external_userid FROM transfer_customers WHERE job_id = :job "
              + "AND external_userid IN (<ids>) AND status = 'submitting'")
          .bind("job", jobId).bindList("ids", ids).mapTo(String.class).list();
    });
  }

  /** Customers left in submitting by a holder that died: queued again (WeCom answers a repeat with 40129). */
  int requeueInterrupted(String jobId, long now) {
    return jdbi.withHandle(h -> h.createUpdate("UPDATE transfer_customers SET status = 'queued', updated_at = :now "
        + "WHERE job_id = :job AND status = 'submitting'").bind("now", now).bind("job", jobId).execute());
  }

  /** Compare-and-set of one customer's status; true when this caller moved it. */
  boolean moveCustomer(Handle h, String jobId, String ext, List<String> from, String to, Integer errcode, Long takeoverAt,
      long now) {
    return h.createUpdate("UPDATE transfer_customers SET status = :to, errcode = :errcode, "
            + "takeover_at = COALESCE(:takeover, takeover_at), updated_at = :now "
            + "WHERE job_id = :job AND external_userid = :ext AND status IN (<from>)")
        .bind("to", to).bind("errcode", errcode).bind("takeover", takeoverAt).bind("now", now).bind("job", jobId)
        .bind("ext", ext).bindList("from", from).execute() == 1;
  }

  boolean moveCustomer(String jobId, String ext, List<String> from, String to, Integer errcode, Long takeoverAt,
      long now) {
    return jdbi.withHandle(h -> moveCustomer(h, jobId, ext, from, to, errcode, takeoverAt, now));
  }

  /** Done customers whose records have not followed yet. */
  List<String> unfollowed(String jobId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT external_userid FROM transfer_customers WHERE job_id = :job "
        + "AND status = 'done' AND followed = 0 ORDER BY external_userid").bind("job", jobId).mapTo(String.class).list());
  }

  boolean markFollowed(String jobId, String ext) {
    return jdbi.withHandle(h -> h.createUpdate("UPDATE transfer_customers SET followed = 1 WHERE job_id = :job "
        + "AND external_userid = :ext AND status = 'done' AND followed = 0").bind("job", jobId).bind("ext", ext)
        .execute()) == 1;
  }

  /** How many of the job's customers are not final yet (queued, submitting, waiting) or not followed. */
  int unfinished(String jobId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM transfer_customers WHERE job_id = :job "
            + "AND (status IN ('queued', 'submitting', 'waiting') OR (status = 'done' AND followed = 0))")
        .bind("job", jobId).mapTo(Integer.class).one()
        + h.createQuery("SELECT COUNT(*) FROM transfer_groups WHERE job_id = :job AND status IN ('queued', 'submitting')")
        .bind("job", jobId).mapTo(Integer.class).one());
  }

  /** The job's customers waiting since before {@code before} (their last status change). */
  List<String> waitingBefore(String jobId, long before) {
    return jdbi.withHandle(h -> h.createQuery("SELECT external_userid FROM transfer_customers WHERE job_id = :job "
        + "AND status = 'waiting' AND updated_at < :before").bind("job", jobId).bind("before", before)
        .mapTo(String.class).list());
  }

  List<String> waiting(String jobId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT external_userid FROM transfer_customers WHERE job_id = :job "
        + "AND status = 'waiting'").bind("job", jobId).mapTo(String.class).list());
  }

  /**
   * Of these customers, those at WeCom's limit of two on-job transfers per 90 days as far as Liuliang knows:
   * moved twice (started or done) in the window, or refused for it in the window. They are reported without
   * asking WeCom again.
   */
  List<String> movedTwiceSince(List<String> externalUserIds, long since) {
    if (externalUserIds.isEmpty()) {
      return List.of();
    }
    return jdbi.withHandle(h -> h.createQuery("SELECT c.external_userid FROM transfer_customers c "
            + "JOIN transfer_jobs j ON j.id = c.job_id WHERE j.kind = 'onjob' AND c.external_userid IN (<ids>) "
            + "AND c.status IN ('waiting', 'done', 'twice_in_90_days') AND c.updated_at >= :since "
            + "GROUP BY c.external_userid "
            + "HAVING COUNT(*) >= 2 OR SUM(CASE WHEN c.status = 'twice_in_90_days' THEN 1 ELSE 0 END) > 0")
        .bindList("ids", externalUserIds).bind("since", since).mapTo(String.class).list());
  }

  List<Customer> customers(String jobId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT job_id, external_userid, status, errcode, takeover_at, followed "
            + "FROM transfer_customers WHERE job_id = :job ORDER BY external_userid").bind("job", jobId)
        .map((rs, ctx) -> new Customer(rs.getString(1), rs.getString(2), rs.getString(3),
            rs.getObject(4) == null ? null : rs.getInt(4), rs.getObject(5) == null ? null : rs.getLong(5),
            rs.getInt(6) == 1))
        .list());
  }

  Map<String, Integer> countsByStatus(String jobId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT status, COUNT(*) FROM transfer_customers WHERE job_id = :job "
            + "GROUP BY status").bind("job", jobId)
        .reduceRows(new TreeMap<String, Integer>(), (acc, row) -> {
          acc.put(row.getColumn(1, String.class), row.getColumn(2, Integer.class));
          return acc;
        }));
  }

  /** Up to {@code limit} queued groups moved to submitting. */
  List<String> takeGroups(String jobId, int limit, long now) {
    return jdbi.inTransaction(h -> {
      List<String> ids = h.createQuery("SELECT chat_id FROM transfer_groups WHERE job_id = :job AND status = 'queued' "
          + "ORDER BY chat_id LIMIT :n").bind("job", jobId).bind("n", limit).mapTo(String.class).list();
      if (ids.isEmpty()) {
        return ids;
      }
      h.createUpdate("UPDATE transfer_groups SET status = 'submitting', updated_at = :now WHERE job_id = :job "
          + "AND chat_id IN (<ids>) AND status = 'queued'").bind("now", now).bind("job", jobId).bindList("ids", ids)
          .execute();
      return h.createQuery("SELECT chat_id FROM transfer_groups WHERE job_id = :job AND chat_id IN (<ids>) "
          + "AND status = 'submitting'").bind("job", jobId).bindList("ids", ids).mapTo(String.class).list();
    });
  }

  boolean moveGroup(String jobId, String chatId, String from, String to, Integer errcode, String error, long now) {
    return jdbi.withHandle(h -> h.createUpdate("UPDATE transfer_groups SET status = :to, errcode = :errcode, "
            + "error = :error, updated_at = :now WHERE job_id = :job AND chat_id = :chat AND status = :from")
        .bind("to", to).bind("errcode", errcode).bind("error", error).bind("now", now).bind("job", jobId)
        .bind("chat", chatId).bind("from", from).execute()) == 1;
  }

  int requeueInterruptedGroups(String jobId, long now) {
    return jdbi.withHandle(h -> h.createUpdate("UPDATE transfer_groups SET status = 'queued', updated_at = :now "
        + "WHERE job_id = :job AND status = 'submitting'").bind("now", now).bind("job", jobId).execute());
  }

  List<Group> groups(String jobId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT job_id, chat_id, status, errcode, error FROM transfer_groups "
            + "WHERE job_id = :job ORDER BY chat_id").bind("job", jobId)
        .map((rs, ctx) -> new Group(rs.getString(1), rs.getString(2), rs.getString(3),
            rs.getObject(4) == null ? null : rs.getInt(4), rs.getString(5)))
        .list());
  }

  /**
   * The waiting customer of a job to {@code takeover} (the transfer_fail event names the takeover member, not
   * the source), for the callback to settle.
   */
  List<String> waitingJobsOf(String externalUserId, String takeover) {
    return jdbi.withHandle(h -> h.createQuery("SELECT c.job_id FROM transfer_customers c JOIN transfer_jobs j "
            + "ON j.id = c.job_id WHERE c.external_userid = :ext AND j.to_userid = :to "
            + "AND c.status IN ('submitting', 'waiting')")
        .bind("ext", externalUserId).bind("to", takeover).mapTo(String.class).list());
  }
}
