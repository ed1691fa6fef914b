-- The weekly SOP (issue 5): the full item as JSON (so jobs can be rebuilt from the store at start),
-- and one row per WeCom broadcast / Moments task we created, to track staff confirmation.

ALTER TABLE sop_items ADD COLUMN spec TEXT;

CREATE TABLE sop_broadcasts (
  outbox_key   TEXT PRIMARY KEY,
  week         TEXT   NOT NULL,                          -- the plan key, as sop_items.week
  item_id      TEXT   NOT NULL,
  sender       TEXT   NOT NULL,                          -- staff userid (or the senders of a Moment, comma-joined)
  kind         TEXT   NOT NULL,                          -- moment | group | personal
  ref          TEXT,                                     -- msgid (add_msg_template) or jobid (add_moment_task)
  status       TEXT   NOT NULL,                          -- queued | sent | confirmed | failed
  created_at   BIGINT NOT NULL,
  sent_at      BIGINT,
  reminded_at  BIGINT,
  confirmed_at BIGINT,
  detail       TEXT
);
CREATE INDEX sop_broadcasts_status ON sop_broadcasts (status, sent_at);
CREATE INDEX sop_broadcasts_item ON sop_broadcasts (week, item_id);
