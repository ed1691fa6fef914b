-- Console (issue 6): today's numbers count by time; without these they scan the whole inbox and outbox.
-- received_at and created_at only grow, so the indexes are cheap appends on the write path.
CREATE INDEX inbox_received ON inbox (received_at);
CREATE INDEX outbox_created ON outbox (created_at);
