-- Operator alerts (ops/Alerts): one row per condition. A notice goes out only when a compare-and-set
-- on notified_at wins, so two nodes or two checks never tell the admins twice in one interval.
CREATE TABLE alert_state (
  condition     TEXT PRIMARY KEY,                        -- e.g. inbox_backlog, outbox_failures:45009
  firing_since  BIGINT,                                  -- NULL when clear
  notified_at   BIGINT,                                  -- the last "firing" notice
  detail        TEXT,
  updated_at    BIGINT NOT NULL
);

-- Erasure on request (privacy/PatientEraser): the anonymous audit row kept after a patient is forgotten.
-- Who erased and when, what was removed (counts per table), and the counts reports still need
-- (channel and layer at the time); never the external_userid, a name or a hash of either.
CREATE TABLE erasures (
  id          INTEGER PRIMARY KEY,
  erased_at   BIGINT NOT NULL,
  erased_by   TEXT   NOT NULL,                           -- "console:<client address>" or "cli:<OS user>"
  channel     TEXT,
  layer       TEXT,
  rows        TEXT   NOT NULL                            -- JSON: table -> rows removed or scrubbed
);
