-- Patient messages (issue 4): what V20 needs to handle each message once, even across a crash.
-- A message is stored (with the cursor, in one transaction) before it is handled; handled_at marks
-- it done, so a restart resumes the stored-but-unhandled ones.
ALTER TABLE messages ADD COLUMN handled_at BIGINT;
CREATE INDEX messages_unhandled ON messages (direction, handled_at, open_kfid);

-- A hand-off is opened once per patient message (source_msgid); route = the doctors to try, in order.
ALTER TABLE handoffs ADD COLUMN source_msgid TEXT;
ALTER TABLE handoffs ADD COLUMN route TEXT;
CREATE UNIQUE INDEX handoffs_source ON handoffs (source_msgid);
CREATE INDEX handoffs_task ON handoffs (task_id);

-- kf_sync_msg entries we could not use (no msgid, no customer...): kept for a look, never dropped.
CREATE TABLE kf_rejects (
  id        INTEGER PRIMARY KEY,
  open_kfid TEXT   NOT NULL,
  reason    TEXT   NOT NULL,
  payload   TEXT   NOT NULL,
  at        BIGINT NOT NULL
);

-- What the doctor's card shows (patient name, layer, tags, recent messages), kept so an escalation
-- can show the next doctor the same card.
ALTER TABLE handoffs ADD COLUMN card TEXT;
