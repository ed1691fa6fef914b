-- Wrong admin tokens per client address (issue 12): in the store, so a guesser behind a round-robin balancer
-- meets the same limit on every node. Rows older than the one-minute window are deleted as new ones come.
CREATE TABLE auth_failures (
  address TEXT   NOT NULL,
  at      BIGINT NOT NULL
);
CREATE INDEX auth_failures_address ON auth_failures (address, at);
CREATE INDEX auth_failures_at ON auth_failures (at);
