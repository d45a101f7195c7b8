-- Runs of the same release in each function's invocations (start order) in the range; {range} is written as literals.
WITH ordered AS (
    SELECT function, release, start_time_unix_nano,
           CASE WHEN release IS DISTINCT FROM lag(release) OVER w THEN 1 ELSE 0 END AS change,
           row_number() OVER w AS position
    FROM analysis_invocations i
    WHERE release IS NOT NULL AND {range} AND ($function IS NULL OR function = $function)
    WINDOW w AS (PARTITION BY function ORDER BY start_time_unix_nano, trace_hi, trace_lo, span_id)
),
runs AS (
    SELECT function, release, start_time_unix_nano, position,
           sum(change) OVER (PARTITION BY function ORDER BY position ROWS UNBOUNDED PRECEDING) AS run
    FROM ordered
)
SELECT function, any_value(release), min(start_time_unix_nano), count(*)
FROM runs
GROUP BY function, run
ORDER BY function, run;
