-- Churn alerts (issue 14), one row per alert and recipient. Sent at once (the outbox row has the same
-- key), or, with churn.digest_at, gathered into one daily message per recipient: digested_on is the
-- day whose digest took it (set with compare-and-set in the digest's own transaction).
CREATE TABLE churn_alerts (
  idem_key    TEXT   NOT NULL,
  recipient   TEXT   NOT NULL,
  text        TEXT   NOT NULL,
  created_at  BIGINT NOT NULL,
  digested_on TEXT,
  PRIMARY KEY (idem_key, recipient)
);
CREATE INDEX churn_alerts_pending ON churn_alerts (digested_on, recipient);
