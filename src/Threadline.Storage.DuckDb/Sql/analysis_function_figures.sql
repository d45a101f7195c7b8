-- Per function over its invocations started in [$from, $to): counts, cost and nearest-rank duration percentiles
-- (the value at rank ceil(p/100·n) in double arithmetic, as Functions.Percentiles does in memory).
WITH ranged AS (
    SELECT function, failed, cold_start, cost_usd, end_time_unix_nano - start_time_unix_nano AS duration,
           row_number() OVER (PARTITION BY function ORDER BY end_time_unix_nano - start_time_unix_nano) AS position,
           count(*) OVER (PARTITION BY function) AS n
    FROM analysis_invocations
    WHERE start_time_unix_nano >= $from AND start_time_unix_nano < $to AND ($function IS NULL OR function = $function)
)
SELECT function, count(*), count(*) FILTER (WHERE failed), count(*) FILTER (WHERE cold_start), sum(cost_usd),
       max(duration) FILTER (WHERE position = greatest(1, ceil(CAST(50 AS DOUBLE) / 100 * n))),
       max(duration) FILTER (WHERE position = greatest(1, ceil(CAST(95 AS DOUBLE) / 100 * n))),
       max(duration) FILTER (WHERE position = greatest(1, ceil(CAST(99 AS DOUBLE) / 100 * n)))
FROM ranged
GROUP BY function
ORDER BY function;
