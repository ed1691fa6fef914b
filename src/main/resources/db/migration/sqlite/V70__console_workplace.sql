-- The console as the operator's workplace (issue 13): patient search and detail, opt-out changes
-- with who and why, hand-off actions from the console.

-- Patient list: newest first, and the filters by tag and by follower use these instead of a scan.
CREATE INDEX contacts_added ON contacts (added_at, external_userid);
CREATE INDEX contacts_store ON contacts (store);
CREATE INDEX contact_tags_tag ON contact_tags (tag_name, external_userid);
CREATE INDEX contact_follows_user ON contact_follows (userid, status, external_userid);
-- Patient detail: the timeline reads each of these by patient.
CREATE INDEX handoffs_contact ON handoffs (external_userid, opened_at);
CREATE INDEX layer_changes_contact ON layer_changes (external_userid, at);

-- Every opt-out change made by a person (the console toggle): who, why, when. The patient's own
-- 退订 / opting back in stays in the message log.
CREATE TABLE opt_out_changes (
  id              INTEGER PRIMARY KEY,
  external_userid TEXT    NOT NULL,
  opted_out       INTEGER NOT NULL,
  actor           TEXT    NOT NULL,
  reason          TEXT    NOT NULL,
  at              BIGINT  NOT NULL
);
CREATE INDEX opt_out_changes_contact ON opt_out_changes (external_userid, at);

-- What was done to a hand-off and by whom (card clicks and console actions alike).
CREATE TABLE handoff_actions (
  id          INTEGER PRIMARY KEY,
  handoff_id  BIGINT NOT NULL,
  action      TEXT   NOT NULL,   -- claim | reassign | to_assistant | close | answer
  actor       TEXT   NOT NULL,   -- the staff account acted as
  via         TEXT   NOT NULL,   -- card | console
  detail      TEXT,
  at          BIGINT NOT NULL
);
CREATE INDEX handoff_actions_handoff ON handoff_actions (handoff_id, at);
