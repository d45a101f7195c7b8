SELECT s.trace_id, s.span_id, s.parent_span_id, s.start_time_unix_nano, s.duration_nanos, s.name, s.kind,
       s.status_code, s.status_message, s.trace_state, s.flags, s.attributes, s.events, s.links,
       s.dropped_attributes_count, s.dropped_events_count, s.dropped_links_count,
       s.resource_id, s.scope_id
FROM spans s
