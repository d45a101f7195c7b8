WHERE l.time_unix_nano >= $from AND l.time_unix_nano < $to
  AND ($trace_id IS NULL OR l.trace_id = $trace_id)
  AND {trace_ids}
  AND ($span_id IS NULL OR l.span_id = $span_id)
ORDER BY l.time_unix_nano, l.observed_time_unix_nano
LIMIT $limit
