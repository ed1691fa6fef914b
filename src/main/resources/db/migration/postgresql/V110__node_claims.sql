-- Claims with an owner and a lease, so several nodes can share one store (issue 12). A node renews its
-- leases while it lives; rows whose lease expired are another node's to resume. On SQLite there is one
-- node, and it releases every claim at start.
ALTER TABLE inbox ADD COLUMN owner TEXT;
ALTER TABLE inbox ADD COLUMN lease_until BIGINT NOT NULL DEFAULT 0;
-- The person an event is about: only the oldest unfinished row per key is claimable, so one patient's
-- events are handled in order whichever node received them. '' (rows from before) orders nothing.
ALTER TABLE inbox ADD COLUMN ordering_key TEXT NOT NULL DEFAULT '';
CREATE INDEX inbox_pending_key ON inbox (ordering_key, id) WHERE status = 'pending';
CREATE INDEX inbox_pending_owner ON inbox (owner, next_attempt_at) WHERE status = 'pending';

ALTER TABLE outbox ADD COLUMN owner TEXT;
ALTER TABLE outbox ADD COLUMN lease_until BIGINT NOT NULL DEFAULT 0;
CREATE INDEX outbox_sending ON outbox (owner, lease_until) WHERE status = 'sending';
