-- A folder written with schema version 2 (or 1, after migrate_to_2.sql) has no commit sequence: its rows all count
-- as commit 1, so a derived part whose watermark is 0 derives all of them.
ALTER TABLE spans ADD COLUMN commit_seq BIGINT DEFAULT 1;
ALTER TABLE logs ADD COLUMN commit_seq BIGINT DEFAULT 1;
