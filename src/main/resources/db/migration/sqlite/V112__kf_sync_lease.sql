-- One node syncs an open_kfid at a time (issue 12): the holder and its lease. A callback for a kf account
-- another node is syncing is retried by the inbox a moment later, so no message waits for the next callback.
ALTER TABLE kf_cursors ADD COLUMN owner TEXT;
ALTER TABLE kf_cursors ADD COLUMN lease_until BIGINT NOT NULL DEFAULT 0;
