SELECT kind, key, trace_hi, trace_lo, span_id FROM stitch_keys
