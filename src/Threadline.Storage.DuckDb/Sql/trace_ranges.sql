-- The time range of each of many traces' spans ({trace_keys}: numbers written in by the store); unknown keys are absent.
SELECT trace_key, min(min_start_unix_nano), max(max_start_unix_nano) FROM trace_index
WHERE trace_key IN ({trace_keys})
GROUP BY trace_key
