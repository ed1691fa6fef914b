-- Issue 13: a patient who writes again while their hand-off waits gets an acknowledgement at most
-- once per handoff.acknowledge_every; this is when the last one (or the hand-off line) went out.
ALTER TABLE handoffs ADD COLUMN acknowledged_at BIGINT;
