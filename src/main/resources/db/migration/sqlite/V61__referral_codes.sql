-- Issue 11, part 2: each patient's personal referral code, a 「联系我」 code with state ref:<referral code>
-- behind their own assistant. Written before the WeCom call (status creating), like channel_codes.
CREATE TABLE referral_codes (
  external_userid TEXT PRIMARY KEY,
  state           TEXT   NOT NULL UNIQUE,   -- ref:<contacts.referral_code>
  userid          TEXT   NOT NULL,          -- the staff member behind the code
  reason          TEXT   NOT NULL,          -- layer | asked | operator
  config_id       TEXT,
  qr_url          TEXT,
  qr_png          BLOB,
  status          TEXT   NOT NULL,          -- creating | active | failed | deleted
  error           TEXT,
  lease_until     BIGINT NOT NULL DEFAULT 0,
  created_at      BIGINT NOT NULL,
  updated_at      BIGINT NOT NULL
);
CREATE INDEX referral_codes_status ON referral_codes (status);
