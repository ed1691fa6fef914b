-- Issue 13: the remark each staff member gave the patient in WeCom (externalcontact/get follow_user.remark),
-- so the console can find a patient by it (staff often note 张姐-种植 or a phone there).
ALTER TABLE contact_follows ADD COLUMN remark TEXT NOT NULL DEFAULT '';
