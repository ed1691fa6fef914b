-- Patient messages (issue 4): kf cursors, messages both ways, hand-offs.
-- The console reads these columns; later migrations in V21..V29 may add, never rename.

CREATE TABLE kf_cursors (
  open_kfid  TEXT PRIMARY KEY,
  cursor     TEXT   NOT NULL,
  updated_at BIGINT NOT NULL
);

CREATE TABLE messages (
  id              INTEGER PRIMARY KEY,
  msgid           TEXT UNIQUE,
  external_userid TEXT   NOT NULL,
  open_kfid       TEXT,
  direction       TEXT   NOT NULL,                       -- in | out
  msgtype         TEXT   NOT NULL,
  content         TEXT,
  intent          TEXT,
  at              BIGINT NOT NULL
);
CREATE INDEX messages_contact ON messages (external_userid, at);

CREATE TABLE handoffs (
  id               INTEGER PRIMARY KEY,
  external_userid  TEXT   NOT NULL,
  open_kfid        TEXT,
  doctor_userid    TEXT,
  state            TEXT   NOT NULL,                      -- open | notified | claimed | closed | escalated
  reason           TEXT   NOT NULL,
  intent           TEXT,
  opened_at        BIGINT NOT NULL,
  notify_at        BIGINT,
  notified_at      BIGINT,
  claimed_at       BIGINT,
  closed_at        BIGINT,
  escalation_level INTEGER NOT NULL DEFAULT 0,
  task_id          TEXT,
  response_code    TEXT
);
CREATE INDEX handoffs_state ON handoffs (state, doctor_userid);
