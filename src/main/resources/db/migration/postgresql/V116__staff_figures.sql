-- Issue 15, part 3: per-staff figures. One row per staff member and clinic day from WeCom's
-- externalcontact/get_user_behavior_data, upserted (the last 3 days are asked again on every run:
-- WeCom still changes them). reply_percentage and avg_reply_time (minutes) are NULL on days without replies.
CREATE TABLE staff_figures (
  userid                TEXT    NOT NULL,
  day                   TEXT    NOT NULL,   -- yyyy-MM-dd in the clinic's time zone
  new_apply_cnt         BIGINT NOT NULL DEFAULT 0,
  new_contact_cnt       BIGINT NOT NULL DEFAULT 0,
  chat_cnt              BIGINT NOT NULL DEFAULT 0,
  message_cnt           BIGINT NOT NULL DEFAULT 0,
  reply_percentage      DOUBLE PRECISION,
  avg_reply_time        BIGINT,
  negative_feedback_cnt BIGINT NOT NULL DEFAULT 0,
  fetched_at            BIGINT  NOT NULL,
  PRIMARY KEY (userid, day)
);
CREATE INDEX staff_figures_day ON staff_figures (day);

-- How far each staff member's figures have been fetched, and the lease of the node fetching them now
-- (claimed with compare-and-set on lease_until, so two nodes never fetch the same staff member at once).
CREATE TABLE staff_figure_fetches (
  userid          TEXT   PRIMARY KEY,
  fetched_through TEXT,                     -- the last day fetched, yyyy-MM-dd; NULL before the first run
  lease_owner     TEXT,
  lease_until     BIGINT NOT NULL DEFAULT 0,
  error           TEXT,                     -- the last failure (api and errcode), cleared on success
  updated_at      BIGINT NOT NULL
);
