SELECT i.trace_hi, i.trace_lo, i.span_id, i.function, i.is_lambda, i.version, i.code_hash, i.release,
       i.start_time_unix_nano, i.end_time_unix_nano, i.failed, i.failure, i.records, i.record_of_span, i.skipped_ranges,
       i.dropped_keys, i.cold_start, i.trigger_kind, i.trigger_resource, i.user_id, i.vip_marker, i.cost_usd, i.gb_seconds
