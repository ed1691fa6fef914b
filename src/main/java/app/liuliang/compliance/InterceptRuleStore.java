package app.liuliang.compliance;

import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * The intercept rules Liuliang made ({@code intercept_rules}). Every write is one upsert or delete; nothing is
 * read and then written.
 */
final class InterceptRuleStore {

  static final String CREATING = "creating";
  static final String ACTIVE = "active";
  static final String FAILED = "failed";

  /** A stored rule: {@code ruleId} null until add_intercept_rule answered. */
  record Row(String name, String ruleId, String spec, String specHash, String status, String error, long updatedAt) {
  }

  private final Jdbi jdbi;

  InterceptRuleStore(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  Jdbi jdbi() {
    return jdbi;
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
