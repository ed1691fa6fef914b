-- Named locks with a lease, for work one node at a time must do (issue 12): the tag sync at start, so two
-- nodes starting together create each WeCom tag once. A dead holder's lock lapses with its lease.
CREATE TABLE cluster_locks (
  name        TEXT PRIMARY KEY,
  owner       TEXT   NOT NULL,
  lease_until BIGINT NOT NULL
);
