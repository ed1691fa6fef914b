-- Limits that hold across nodes (issue 12). pace_slots: the last slot handed out by a spacing limiter such as
-- the Moments pacer (add_moment_task, under WeCom's 10 a minute per corp), so two nodes never both use a slot.
CREATE TABLE pace_slots (
  limiter TEXT   PRIMARY KEY,
  last_at BIGINT NOT NULL
);
-- nodes: each running node's heartbeat, so per-node shares of corp-wide quotas (WeCom's calls a minute per
-- API) follow the number of live nodes. A clean stop deletes its row; a dead node's row just ages out.
CREATE TABLE nodes (
  node_id    TEXT   PRIMARY KEY,
  started_at BIGINT NOT NULL,
  seen_at    BIGINT NOT NULL
);
