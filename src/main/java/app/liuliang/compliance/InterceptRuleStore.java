package app.liuliang.compliance;

import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * The intercept rules Liuliang made ({@code intercept_rules}) and the lease of the node reconciling them
 * ({@code intercept_sync_lease}). Every write is one upsert or delete; nothing is read and then written.
 */
final class InterceptRuleStore {

  static final String CREATING = "creating";
  static final String ACTIVE = "active";
  static final String FAILED = "failed";
  private static final String LEASE = "intercept_rules";

  /** A stored rule: {@code ruleId} null until add_intercept_rule answered. */
  record Row(String name, String ruleId, String spec, String specHash, String status, String error, long updatedAt) {
  }

  private final Jdbi jdbi;

  InterceptRuleStore(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /**
   * Takes the reconcile lease until {@code until}: true when it was free, lapsed or already this node's.
   * One compare-and-set upsert, so of two nodes asking at once exactly one gets it.
   */
  boolean claimLease(String node, long now, long until) {
    return jdbi.withHandle(h -> h.createUpdate("INSERT INTO intercept_sync_lease (name, lease_owner, lease_until) "
            + "VALUES (:name, :me, :until) ON CONFLICT (name) DO UPDATE SET lease_owner = excluded.lease_owner, "
            + "lease_until = excluded.lease_until WHERE intercept_sync_lease.lease_owner = excluded.lease_owner "
            + "OR intercept_sync_lease.lease_until < :now")
        .bind("name", LEASE).bind("me", node).bind("until", until).bind("now", now).execute() == 1);
  }

  /** Frees the lease (a node shutting down), if this node still holds it. */
  void releaseLease(String node) {
    jdbi.useHandle(h -> h.createUpdate("UPDATE intercept_sync_lease SET lease_until = 0 "
        + "WHERE name = :name AND lease_owner = :me").bind("name", LEASE).bind("me", node).execute());
  }

  List<Row> all() {
    return jdbi.withHandle(h -> h.createQuery("SELECT rule_name, rule_id, spec, spec_hash, status, error, updated_at "
            + "FROM intercept_rules ORDER BY rule_name")
        .map((rs, ctx) -> new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
            rs.getString(6), rs.getLong(7)))
        .list());
  }

  /** Written before add_intercept_rule: after a crash the rule is found again by name, not made twice. */
  void creating(String name, String spec, String hash, long now) {
    upsert(name, null, spec, hash, CREATING, null, now);
  }

  void active(String name, String ruleId, String spec, String hash, long now) {
    upsert(name, ruleId, spec, hash, ACTIVE, null, now);
  }

  /** WeCom refused or did not answer; the next round tries again. */
  void failed(String name, String ruleId, String spec, String hash, String error, long now) {
    upsert(name, ruleId, spec, hash, FAILED, error, now);
  }

  void deleted(String name) {
    jdbi.useHandle(h -> h.createUpdate("DELETE FROM intercept_rules WHERE rule_name = :n").bind("n", name).execute());
  }

  private void upsert(String name, String ruleId, String spec, String hash, String status, String error, long now) {
    jdbi.useHandle(h -> h.createUpdate("INSERT INTO intercept_rules (rule_name, rule_id, spec, spec_hash, status, error, "
            + "updated_at) VALUES (:n, :id, :spec, :hash, :status, :error, :now) ON CONFLICT (rule_name) DO UPDATE SET "
            + "rule_id = excluded.rule_id, spec = excluded.spec, spec_hash = excluded.spec_hash, "
            + "status = excluded.status, error = excluded.error, updated_at = excluded.updated_at")
        .bind("n", name).bind("id", ruleId).bind("spec", spec).bind("hash", hash).bind("status", status)
        .bind("error", error).bind("now", now).execute());
  }
}
