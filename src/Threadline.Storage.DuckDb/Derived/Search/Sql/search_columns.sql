SELECT i.inv, i.trace_id_hi, i.trace_id_lo, i.span_id, i.start_ns, i.duration_ns, i.function, i.entry, i.trigger_kind,
       i.trigger_resource, i.failed, i.error_type, i.error_message, i.cold, i.version, i.user_name, i.vip, i.request_id
FROM search_invocations i
