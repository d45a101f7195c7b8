WHERE s.start_time_unix_nano >= $from AND s.start_time_unix_nano < $to
  AND ($service IS NULL OR s.service = $service)
ORDER BY s.start_time_unix_nano DESC, s.span_id
LIMIT $limit
