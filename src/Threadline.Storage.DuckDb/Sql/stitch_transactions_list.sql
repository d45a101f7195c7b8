-- {range} is written as literals by the store (row groups prune on literals, far less on bound parameters).
SELECT entry_hi, entry_lo, entry_span, start_unix_nano, duration_ms, status, invocation_count, error_count, entry_kind, entry_name, entry_resource
FROM stitch_transactions
WHERE {range}
  AND ($status IS NULL OR status = $status)
  AND ($entry IS NULL OR entry_kind = $entry OR entry_name = $entry OR entry_resource = $entry)
ORDER BY start_unix_nano DESC, entry_hi, entry_lo, entry_span
LIMIT $limit
