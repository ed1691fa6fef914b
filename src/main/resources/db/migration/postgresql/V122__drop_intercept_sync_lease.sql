-- The intercept-rule reconcile takes its lease in cluster_locks like every other one-node-at-a-time job;
-- its own lease table (V117) is no longer used.
DROP TABLE intercept_sync_lease;
