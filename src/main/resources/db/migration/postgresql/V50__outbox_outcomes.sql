-- Reliability (issue 10). An attempt whose outcome is unknown (a read timeout, a crash in flight)
-- is remembered, so the outbox asks WeCom what happened before it gives up or sends again.
ALTER TABLE outbox ADD COLUMN outcome_unknown BIGINT NOT NULL DEFAULT 0;
-- Work with the nearest deadline is claimed first (a welcome's 20 s before a tag's 24 h).
CREATE INDEX outbox_pending_deadline ON outbox (deadline, id) WHERE status = 'pending';
