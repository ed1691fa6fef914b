-- A Moments task that WeCom finished still waits for each sender to publish it in their client:
-- keep the moment_id so get_moment_task can tell who has published.
ALTER TABLE sop_broadcasts ADD COLUMN moment_id TEXT;
