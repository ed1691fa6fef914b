-- New patients (issue 3): what became of each welcome (the console shows expired / used codes).
CREATE TABLE welcomes (
  idem_key        TEXT PRIMARY KEY,                    -- the outbox key: welcome:<external_userid>:<userid>:<code>
  external_userid TEXT   NOT NULL,
  userid          TEXT   NOT NULL,
  welcome_code    TEXT   NOT NULL,
  channel         TEXT   NOT NULL,
  template_id     TEXT   NOT NULL,
  status          TEXT   NOT NULL,                     -- queued | sent | used | expired | failed | too_late | skipped | cancelled | uncertain
  errcode         INTEGER,
  fallback        INTEGER NOT NULL DEFAULT 0,          -- 1 when the template's fallback was queued
  created_at      BIGINT NOT NULL,
  updated_at      BIGINT NOT NULL
);
CREATE INDEX welcomes_contact ON welcomes (external_userid);
CREATE INDEX welcomes_status ON welcomes (status);
