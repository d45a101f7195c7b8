SELECT trace_hi, trace_lo, span_id, start_unix_nano, body FROM stitch_invocations
