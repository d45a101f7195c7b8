SELECT entry_hi, entry_lo, entry_span, start_unix_nano, duration_ms, status, invocation_count, error_count, entry_kind, entry_name, entry_resource FROM stitch_transactions
