-- Console sessions in the store (issue 12), so a load balancer may send an operator's requests to any node.
-- The cookie's id is kept only as its SHA-256: reading the store does not give anyone a live session.
CREATE TABLE console_sessions (
  id_hash    TEXT PRIMARY KEY,
  csrf       TEXT   NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX console_sessions_expiry ON console_sessions (expires_at);
