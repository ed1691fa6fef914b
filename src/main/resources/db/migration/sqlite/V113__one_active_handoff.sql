-- One active hand-off per patient (issue 12): with several nodes, two messages of one patient handled on
-- two nodes at once must not open two. Older duplicates from before are closed first, the newest kept.
UPDATE handoffs SET state = 'closed'
 WHERE state IN ('open', 'notified', 'claimed', 'escalated')
   AND id NOT IN (SELECT MAX(id) FROM handoffs WHERE state IN ('open', 'notified', 'claimed', 'escalated')
                  GROUP BY external_userid);
CREATE UNIQUE INDEX handoffs_one_active ON handoffs (external_userid)
  WHERE state IN ('open', 'notified', 'claimed', 'escalated');
