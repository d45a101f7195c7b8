SELECT l.time_unix_nano, l.observed_time_unix_nano, l.trace_id, l.span_id, l.flags, l.severity_number,
       l.severity_text, l.event_name, l.body, l.attributes, l.dropped_attributes_count, l.resource_id, l.scope_id
FROM logs l
