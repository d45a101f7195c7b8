-- Schema 3 changes the columns of spans and logs (the trace id as two UBIGINTs, commit_seq added), so both tables are
-- rewritten once, at open, in one transaction: the old ones are moved aside here, schema.sql creates the new ones, and
-- migrate_to_3_copy.sql copies the rows over in their stored order. Every existing row counts as commit 1.
ALTER TABLE spans RENAME TO spans_before_3;
ALTER TABLE logs RENAME TO logs_before_3;
