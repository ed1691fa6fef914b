-- Issue 15, part 4: the WeCom intercept rules (敏感词, add_intercept_rule) Liuliang made from
-- config/compliance.yaml. Only rules recorded here or named <prefix><n> are ever changed or deleted:
-- the clinic's own rules are never touched. The row is written before add_intercept_rule (rule_id NULL),
-- so a crash between the call and the write is found again by name in get_intercept_rule_list.
CREATE TABLE intercept_rules (
  rule_name   TEXT   PRIMARY KEY,           -- <prefix><n>, e.g. 留量广告词1
  rule_id     TEXT,                         -- WeCom's id; NULL until add_intercept_rule answered
  spec        TEXT   NOT NULL,              -- JSON of what was asked of WeCom (words, type, range)
  spec_hash   TEXT   NOT NULL,
  status      TEXT   NOT NULL,              -- creating | active | failed
  error       TEXT,
  updated_at  BIGINT NOT NULL
);

-- One reconcile at a time across nodes: the node holding the lease (compare-and-set on lease_until) runs it.
CREATE TABLE intercept_sync_lease (
  name        TEXT   PRIMARY KEY,           -- 'intercept_rules'
  lease_owner TEXT,
  lease_until BIGINT NOT NULL DEFAULT 0
);
