-- The issues with an occurrence in [$from, $to), over those occurrences, latest seen first.
SELECT issue_id, arg_min(function, start_time_unix_nano), arg_min(failure, start_time_unix_nano), count(*),
       count(*) FILTER (WHERE cold_start), min(start_time_unix_nano), max(start_time_unix_nano)
FROM analysis_invocations
WHERE issue_id IS NOT NULL AND start_time_unix_nano >= $from AND start_time_unix_nano < $to
  AND ($function IS NULL OR function = $function)
GROUP BY issue_id
ORDER BY max(start_time_unix_nano) DESC, issue_id
LIMIT $limit;
