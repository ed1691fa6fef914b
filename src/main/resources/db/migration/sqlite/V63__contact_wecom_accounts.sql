-- Issue 11: a contact who is a WeCom user (externalcontact/get type 2: a work account, such as a staff
-- member scanning a code to try it) never counts as a referred friend.
ALTER TABLE contacts ADD COLUMN wecom_account INTEGER NOT NULL DEFAULT 0;
