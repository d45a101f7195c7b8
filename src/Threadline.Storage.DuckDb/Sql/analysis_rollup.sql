-- Sums the touched function minutes again from the invocations (after the new rows are in). {earliest_minute} (a
-- literal: no touched minute is earlier) lets the zone maps skip older row groups.
DELETE FROM analysis_function_minutes m USING (SELECT DISTINCT function, minute_unix_nano FROM analysis_touched_minutes) t
WHERE m.minute_unix_nano >= {earliest_minute} AND m.function = t.function AND m.minute_unix_nano = t.minute_unix_nano;
DELETE FROM analysis_function_minute_durations m USING (SELECT DISTINCT function, minute_unix_nano FROM analysis_touched_minutes) t
WHERE m.minute_unix_nano >= {earliest_minute} AND m.function = t.function AND m.minute_unix_nano = t.minute_unix_nano;

INSERT INTO analysis_function_minutes
SELECT i.function, i.release, i.minute_unix_nano, count(*), count(*) FILTER (WHERE i.failed), count(*) FILTER (WHERE i.cold_start),
       sum(i.gb_seconds), sum(i.cost_usd), min(i.start_time_unix_nano)
FROM analysis_invocations i
SEMI JOIN (SELECT DISTINCT function, minute_unix_nano FROM analysis_touched_minutes) t
    ON i.function = t.function AND i.minute_unix_nano = t.minute_unix_nano
WHERE i.minute_unix_nano >= {earliest_minute}
GROUP BY i.function, i.release, i.minute_unix_nano;

INSERT INTO analysis_function_minute_durations
SELECT i.function, i.release, i.minute_unix_nano, i.duration_bucket, count(*)
FROM analysis_invocations i
SEMI JOIN (SELECT DISTINCT function, minute_unix_nano FROM analysis_touched_minutes) t
    ON i.function = t.function AND i.minute_unix_nano = t.minute_unix_nano
WHERE i.minute_unix_nano >= {earliest_minute}
GROUP BY i.function, i.release, i.minute_unix_nano, i.duration_bucket;
