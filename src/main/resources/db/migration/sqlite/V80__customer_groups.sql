-- Customer groups (issue 14): the groups and their members as groupchat/get last described them, every
-- join and leave we saw (with whether its effects - tags, layer, churn alert - are done), and the group
-- codes and join-welcome templates Liuliang created in WeCom from config/groups.yaml.

CREATE TABLE group_chats (
  chat_id        TEXT PRIMARY KEY,
  name           TEXT    NOT NULL DEFAULT '',
  owner          TEXT    NOT NULL DEFAULT '',
  notice         TEXT    NOT NULL DEFAULT '',
  category       TEXT,                                   -- a category name of groups.yaml, or NULL
  status         TEXT    NOT NULL DEFAULT 'active',      -- active | dismissed
  member_version TEXT    NOT NULL DEFAULT '',
  created_at     BIGINT,                                 -- WeCom's create_time, epoch ms
  fetched_at     BIGINT  NOT NULL DEFAULT 0,             -- when the last groupchat/get started
  dismissed_at   BIGINT,
  updated_at     BIGINT  NOT NULL
);
CREATE INDEX group_chats_category ON group_chats (category, status);

CREATE TABLE group_members (
  chat_id        TEXT    NOT NULL,
  member_id      TEXT    NOT NULL,                       -- staff userid (type 1) or external_userid (type 2)
  type           INTEGER NOT NULL,
  unionid        TEXT,
  join_time      BIGINT  NOT NULL,                       -- epoch ms
  join_scene     INTEGER NOT NULL DEFAULT 0,             -- 1 invited, 2 link, 3 QR code
  invitor        TEXT,
  group_nickname TEXT    NOT NULL DEFAULT '',
  name           TEXT    NOT NULL DEFAULT '',
  state          TEXT    NOT NULL DEFAULT '',
  left_at        BIGINT,                                 -- NULL while a member
  quit_scene     INTEGER,                                -- 0 left, 1 removed
  PRIMARY KEY (chat_id, member_id)
);
CREATE INDEX group_members_member ON group_members (member_id);

CREATE TABLE group_member_changes (
  id         INTEGER PRIMARY KEY,
  chat_id    TEXT    NOT NULL,
  member_id  TEXT    NOT NULL,
  change     TEXT    NOT NULL,                           -- join | leave
  at         BIGINT  NOT NULL,
  effects    TEXT    NOT NULL DEFAULT 'pending',         -- pending | done
  UNIQUE (chat_id, member_id, change, at)
);
CREATE INDEX group_member_changes_pending ON group_member_changes (effects, chat_id);
CREATE INDEX group_member_changes_at ON group_member_changes (at);

CREATE TABLE group_join_ways (
  category    TEXT PRIMARY KEY,
  config_id   TEXT,                                      -- NULL while being created
  qr_code     TEXT    NOT NULL DEFAULT '',
  fingerprint TEXT    NOT NULL,                          -- of the request last sent
  updated_at  BIGINT  NOT NULL
);

CREATE TABLE group_welcome_templates (
  category    TEXT PRIMARY KEY,
  template_id TEXT,
  fingerprint TEXT    NOT NULL,
  updated_at  BIGINT  NOT NULL
);
