-- Removes the stored invocations of the touched traces (the caller appends their rows now) and notes the function
-- minutes they were in. {earliest} (a literal: no stored row of these traces started before it) lets the zone maps
-- skip older row groups.
INSERT INTO analysis_touched_minutes
SELECT DISTINCT i.function, i.minute_unix_nano FROM analysis_invocations i
SEMI JOIN analysis_touched_traces t ON i.trace_hi = t.trace_hi AND i.trace_lo = t.trace_lo
WHERE i.start_time_unix_nano >= {earliest};

DELETE FROM analysis_invocations i USING analysis_touched_traces t WHERE i.start_time_unix_nano >= {earliest} AND i.trace_hi = t.trace_hi AND i.trace_lo = t.trace_lo;
DELETE FROM analysis_record_keys i USING analysis_touched_traces t WHERE i.start_time_unix_nano >= {earliest} AND i.trace_hi = t.trace_hi AND i.trace_lo = t.trace_lo;
DELETE FROM analysis_skipped_shards i USING analysis_touched_traces t WHERE i.start_time_unix_nano >= {earliest} AND i.trace_hi = t.trace_hi AND i.trace_lo = t.trace_lo;
