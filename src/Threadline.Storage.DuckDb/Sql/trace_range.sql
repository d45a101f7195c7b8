-- The time range of one trace's spans (NULLs for an unknown trace).
SELECT min(min_start_unix_nano), max(max_start_unix_nano) FROM trace_index WHERE trace_key = $trace_key
