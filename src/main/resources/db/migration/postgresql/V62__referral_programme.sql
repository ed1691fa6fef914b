-- Issue 11, part 3: whether a referral counts (after counts_after, still a contact, new, maybe visited)
-- and the rewards referrers earn, are told of and redeem at the front desk.
ALTER TABLE referrals ADD COLUMN status TEXT NOT NULL DEFAULT 'pending';  -- pending | counted | dropped
ALTER TABLE referrals ADD COLUMN decided_at BIGINT;
CREATE INDEX referrals_status ON referrals (status, created_at);

CREATE TABLE referral_rewards (
  referrer_external_userid TEXT    NOT NULL,
  friends                  BIGINT NOT NULL,   -- the tier: counted friends that earned it
  reward                   TEXT    NOT NULL,
  status                   TEXT    NOT NULL,   -- earned | notified | redeemed
  earned_at                BIGINT  NOT NULL,
  notified_at              BIGINT,
  redeemed_at              BIGINT,
  redeemed_by              TEXT,
  PRIMARY KEY (referrer_external_userid, friends)
);
