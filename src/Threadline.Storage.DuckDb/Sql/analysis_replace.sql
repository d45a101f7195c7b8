-- Replaces the invocations of the touched traces (the new rows were appended to analysis_staged_* by the caller)
-- and sums the touched function minutes again from the invocations.
INSERT INTO analysis_touched_minutes
SELECT DISTINCT i.function, i.minute_unix_nano FROM analysis_invocations i
SEMI JOIN analysis_touched_traces t ON i.trace_hi = t.trace_hi AND i.trace_lo = t.trace_lo;

DELETE FROM analysis_invocations i USING analysis_touched_traces t WHERE i.trace_hi = t.trace_hi AND i.trace_lo = t.trace_lo;
DELETE FROM analysis_record_keys i USING analysis_touched_traces t WHERE i.trace_hi = t.trace_hi AND i.trace_lo = t.trace_lo;
DELETE FROM analysis_skipped_shards i USING analysis_touched_traces t WHERE i.trace_hi = t.trace_hi AND i.trace_lo = t.trace_lo;
