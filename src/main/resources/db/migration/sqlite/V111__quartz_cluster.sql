-- Quartz's clustered JDBC job store lives only in PostgreSQL (db/migration/postgresql/V111): a SQLite store
-- has one node, whose Quartz runs in RAM and is rebuilt from sop_items at start. This version is kept
-- here so both vendors' histories have the same versions.
SELECT 1;
