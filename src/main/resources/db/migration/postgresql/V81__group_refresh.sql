-- Groups waiting to be re-read (issue 14): a change_external_chat event marks its group, and one read
-- after the settle window covers every event that arrived meanwhile. due_at is the first event's time
-- plus the settle window (later events do not push it back), or a lease / backoff while a read runs.
CREATE TABLE group_refresh_due (
  chat_id        TEXT PRIMARY KEY,
  due_at         BIGINT  NOT NULL,
  first_event_at BIGINT  NOT NULL,
  stale_version  TEXT    NOT NULL DEFAULT '',   -- LastMemVer of the newest event: a read showing it lags
  cur_version    TEXT    NOT NULL DEFAULT '',   -- CurMemVer of the newest event
  quit_scene     BIGINT,
  leave_event_at BIGINT,                         -- the newest del_member event's time: when members found gone left
  attempts       BIGINT NOT NULL DEFAULT 0,
  bumps          BIGINT NOT NULL DEFAULT 0      -- +1 per event: a finished read deletes the row only if unchanged
);
CREATE INDEX group_refresh_due_at ON group_refresh_due (due_at);
