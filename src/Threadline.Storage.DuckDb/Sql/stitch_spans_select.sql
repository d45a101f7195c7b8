SELECT trace_hi, trace_lo, span_id, start_unix_nano, facts FROM stitch_spans
