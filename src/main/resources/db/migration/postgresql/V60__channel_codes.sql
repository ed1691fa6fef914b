-- Issue 11: the 「联系我」 codes Liuliang creates (add_contact_way), one row per declared code.
-- The row is written before the WeCom call (status creating, no config_id), so a crash between the
-- call and the store write is found again by state (get_contact_way) instead of creating a duplicate.
CREATE TABLE channel_codes (
  state       TEXT PRIMARY KEY,            -- lc.<channel>[.<store>], what WeCom returns on each add
  channel     TEXT   NOT NULL,
  store       TEXT   NOT NULL DEFAULT '',  -- store id from channels.yaml, '' for a channel-wide code
  spec        TEXT   NOT NULL,             -- JSON of what was asked of WeCom (type, user, skip_verify, remark)
  spec_hash   TEXT   NOT NULL,
  config_id   TEXT,                        -- WeCom's id; API-made codes are invisible in the admin console
  qr_url      TEXT,
  qr_png      BYTEA,
  status      TEXT   NOT NULL,             -- creating | active | deleting | deleted | failed
  error       TEXT,                        -- WeCom's errcode and an operator message for failed
  lease_until BIGINT NOT NULL DEFAULT 0,   -- a node working on the row holds it until then
  created_at  BIGINT NOT NULL,
  updated_at  BIGINT NOT NULL
);
CREATE INDEX channel_codes_channel ON channel_codes (channel, store);

-- The store (branch) a patient came through, from the code's state; '' when unknown.
ALTER TABLE contacts ADD COLUMN store TEXT NOT NULL DEFAULT '';
CREATE INDEX contacts_channel_added ON contacts (channel, store, added_at);
