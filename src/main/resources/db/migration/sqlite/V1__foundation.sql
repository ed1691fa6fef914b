-- Foundation: callback inbox, outbox of WeCom actions, shared token cache.
-- Plain SQL that also runs on PostgreSQL (BIGINT millis for instants, TEXT for JSON).
-- Migration numbers per feature: contacts V10+, messages V20+, sop V30+, console V40+.

CREATE TABLE store_probe (
  id          INTEGER PRIMARY KEY,
  touched_at  BIGINT NOT NULL
);
INSERT INTO store_probe (id, touched_at) VALUES (1, 0);

CREATE TABLE inbox (
  id              INTEGER PRIMARY KEY,
  event_key       TEXT    NOT NULL UNIQUE,
  kind            TEXT    NOT NULL,
  payload         TEXT    NOT NULL,
  received_at     BIGINT  NOT NULL,
  status          TEXT    NOT NULL,
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at BIGINT  NOT NULL,
  last_error      TEXT,
  done_at         BIGINT
);
CREATE INDEX inbox_due ON inbox (status, next_attempt_at);

CREATE TABLE outbox (
  id              INTEGER PRIMARY KEY,
  idem_key        TEXT    NOT NULL UNIQUE,
  purpose         TEXT    NOT NULL,
  api             TEXT    NOT NULL,
  body            TEXT    NOT NULL,
  external_userid TEXT,
  patient_facing  INTEGER NOT NULL,
  resend_safe     INTEGER NOT NULL,
  created_at      BIGINT  NOT NULL,
  not_before      BIGINT  NOT NULL,
  deadline        BIGINT  NOT NULL,
  status          TEXT    NOT NULL,
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at BIGINT  NOT NULL,
  errcode         INTEGER,
  last_error      TEXT,
  response        TEXT,
  sent_at         BIGINT
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_contact ON outbox (external_userid, status);

CREATE TABLE wecom_token (
  corp_id     TEXT   NOT NULL,
  agent_id    TEXT   NOT NULL,
  token       TEXT   NOT NULL,
  expires_at  BIGINT NOT NULL,
  PRIMARY KEY (corp_id, agent_id)
);
