WHERE s.trace_id = $trace_id
ORDER BY s.start_time_unix_nano, s.span_id
