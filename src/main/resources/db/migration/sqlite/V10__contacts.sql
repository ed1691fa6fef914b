-- New patients (issue 3): contacts, their follows, tags, referrals, activities and layer history.
-- The console reads these columns; later migrations in V11..V19 may add, never rename.

CREATE TABLE contacts (
  external_userid   TEXT PRIMARY KEY,
  name              TEXT    NOT NULL DEFAULT '',
  phone             TEXT,
  channel           TEXT    NOT NULL DEFAULT 'unknown',
  first_userid      TEXT,
  layer             TEXT    NOT NULL DEFAULT 'stranger',
  referrer_external_userid TEXT,
  referral_code     TEXT UNIQUE,
  opted_out         INTEGER NOT NULL DEFAULT 0,
  status            TEXT    NOT NULL DEFAULT 'active',  -- active | lost | removed
  added_at          BIGINT  NOT NULL,
  updated_at        BIGINT  NOT NULL
);
CREATE INDEX contacts_layer ON contacts (layer);
CREATE INDEX contacts_channel ON contacts (channel);
CREATE INDEX contacts_phone ON contacts (phone);

CREATE TABLE contact_follows (
  external_userid TEXT   NOT NULL,
  userid          TEXT   NOT NULL,
  state           TEXT   NOT NULL DEFAULT '',
  status          TEXT   NOT NULL DEFAULT 'active',     -- active | lost | removed
  added_at        BIGINT NOT NULL,
  PRIMARY KEY (external_userid, userid)
);

CREATE TABLE contact_tags (
  external_userid TEXT   NOT NULL,
  tag_name        TEXT   NOT NULL,
  source          TEXT   NOT NULL,                       -- auto | staff | intent
  added_at        BIGINT NOT NULL,
  PRIMARY KEY (external_userid, tag_name)
);

CREATE TABLE corp_tags (
  group_name TEXT NOT NULL,
  tag_name   TEXT NOT NULL,
  tag_id     TEXT NOT NULL,
  PRIMARY KEY (group_name, tag_name)
);

CREATE TABLE referrals (
  referee_external_userid  TEXT PRIMARY KEY,
  referrer_external_userid TEXT   NOT NULL,
  code                     TEXT   NOT NULL,
  created_at               BIGINT NOT NULL
);
CREATE INDEX referrals_referrer ON referrals (referrer_external_userid);

CREATE TABLE contact_activities (
  id              INTEGER PRIMARY KEY,
  external_userid TEXT   NOT NULL,
  type            TEXT   NOT NULL,                       -- visit | order | membership | reply ...
  subtype         TEXT,                                  -- e.g. the visit type: cleaning, ortho_adjustment
  amount          NUMERIC,
  at              BIGINT NOT NULL,
  detail          TEXT
);
CREATE INDEX contact_activities_contact ON contact_activities (external_userid, type);

CREATE TABLE layer_changes (
  id              INTEGER PRIMARY KEY,
  external_userid TEXT   NOT NULL,
  from_layer      TEXT   NOT NULL,
  to_layer        TEXT   NOT NULL,
  reason          TEXT   NOT NULL,
  at              BIGINT NOT NULL
);
