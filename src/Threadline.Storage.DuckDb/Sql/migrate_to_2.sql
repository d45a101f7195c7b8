-- A folder written with schema version 1 has spans but no trace index: build it once, at open.
INSERT INTO trace_index
SELECT (trace_id & 18446744073709551615)::UBIGINT, min(start_time_unix_nano), max(start_time_unix_nano)
FROM spans GROUP BY trace_id;
