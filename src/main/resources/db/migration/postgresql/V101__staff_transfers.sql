-- Staff transfers (继承, issue 15 part 2): one job per `staff transfer` run or console form, its customers and
-- its customer groups. Every status change is a compare-and-set on the row's current status; a job is worked
-- on by whoever holds its lease (lease_owner until lease_until), so two nodes or a CLI beside the server never
-- submit one batch twice.
CREATE TABLE transfer_jobs (
  id           TEXT PRIMARY KEY,                         -- tr-<epoch ms base 36>-<random>
  kind         TEXT   NOT NULL,                          -- onjob | resigned
  from_userid  TEXT   NOT NULL,
  to_userid    TEXT   NOT NULL,
  layer        TEXT,                                     -- the filters it was started with, if any
  tag          TEXT,
  status       TEXT   NOT NULL,                          -- submitting | following | done
  requested_by TEXT   NOT NULL,                          -- cli:<OS user> | console:<client address>
  lease_owner  TEXT,
  lease_until  BIGINT NOT NULL DEFAULT 0,
  created_at   BIGINT NOT NULL,
  updated_at   BIGINT NOT NULL
);
CREATE INDEX transfer_jobs_status ON transfer_jobs (status, lease_until);

CREATE TABLE transfer_customers (
  job_id          TEXT    NOT NULL,
  external_userid TEXT    NOT NULL,
  -- queued | submitting | waiting (24 h to take over) | done | refused | limit (takeover full) | none |
  -- twice_in_90_days (reported, never retried) | failed
  status          TEXT    NOT NULL,
  errcode         BIGINT,
  takeover_at     BIGINT,
  followed        BIGINT NOT NULL DEFAULT 0,            -- 1 once Liuliang's own records moved with them
  updated_at      BIGINT  NOT NULL,
  PRIMARY KEY (job_id, external_userid)
);
CREATE INDEX transfer_customers_contact ON transfer_customers (external_userid, status);
CREATE INDEX transfer_customers_status ON transfer_customers (status, job_id);

CREATE TABLE transfer_groups (
  job_id     TEXT    NOT NULL,
  chat_id    TEXT    NOT NULL,
  status     TEXT    NOT NULL,                           -- queued | submitting | done | failed
  errcode    BIGINT,
  error      TEXT,
  updated_at BIGINT  NOT NULL,
  PRIMARY KEY (job_id, chat_id)
);
