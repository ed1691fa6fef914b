-- The weekly SOP (issue 5): loaded plans, their items and each run's deliveries.
-- The console reads these columns; later migrations in V31..V39 may add, never rename.

CREATE TABLE sop_plans (
  week       TEXT PRIMARY KEY,                           -- 2026-W48, or journeys / campaign:<id>
  file       TEXT   NOT NULL,
  checksum   TEXT   NOT NULL,
  status     TEXT   NOT NULL,                            -- valid | invalid
  errors     TEXT,                                       -- the latest validation problems, one per line
  loaded_at  BIGINT NOT NULL
);

CREATE TABLE sop_items (
  week         TEXT   NOT NULL,
  item_id      TEXT   NOT NULL,
  kind         TEXT   NOT NULL,                          -- moment | group | personal | countdown | recall | journey
  due_at       BIGINT NOT NULL,
  audience     TEXT,
  text_preview TEXT   NOT NULL,
  status       TEXT   NOT NULL,                          -- scheduled | sending | sent | confirmed | failed | missed | removed
  detail       TEXT,
  updated_at   BIGINT NOT NULL,
  PRIMARY KEY (week, item_id)
);
CREATE INDEX sop_items_due ON sop_items (due_at);

CREATE TABLE sop_deliveries (
  week       TEXT   NOT NULL,
  item_id    TEXT   NOT NULL,
  target     TEXT   NOT NULL,                            -- external_userid, or the sender / owner userid
  outbox_key TEXT   NOT NULL,
  status     TEXT   NOT NULL,
  at         BIGINT NOT NULL,
  PRIMARY KEY (week, item_id, target)
);
CREATE INDEX sop_deliveries_target ON sop_deliveries (target, at);
