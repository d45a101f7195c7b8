WHERE s.trace_id = $trace_id
-- An exporter retry stores a span twice; the contract returns each span id once.
QUALIFY row_number() OVER (PARTITION BY s.span_id ORDER BY s.start_time_unix_nano) = 1
ORDER BY s.start_time_unix_nano, s.span_id
