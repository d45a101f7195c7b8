-- Many traces at once: {trace_ids} and {ranges} are written in by the store from ids it was given and ranges it read
-- from trace_index (numbers only), for the same reason as in get_trace.sql.
WHERE s.trace_id IN ({trace_ids})
  AND ({ranges})
QUALIFY row_number() OVER (PARTITION BY s.trace_id, s.span_id ORDER BY s.start_time_unix_nano) = 1
ORDER BY s.start_time_unix_nano, s.span_id
