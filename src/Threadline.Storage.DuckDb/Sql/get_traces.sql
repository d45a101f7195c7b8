-- Many traces at once: {trace_ids} and {ranges} are written in by the store from ids it was given and ranges it read
-- from trace_index (numbers only), for the same reason as in get_trace.sql. Filtering on the low halves alone may let
-- in another trace sharing one; the store drops those spans by their whole id.
WHERE s.trace_id_lo IN ({trace_id_lows})
  AND ({ranges})
QUALIFY row_number() OVER (PARTITION BY s.trace_id_hi, s.trace_id_lo, s.span_id ORDER BY s.start_time_unix_nano) = 1
ORDER BY s.start_time_unix_nano, s.span_id
