-- The search index (issue 16, docs/search.md) on ClickHouse: the derived part "search" (ClickHouseSearchIndexStore).
-- Statements are separated by lines holding only ';'. Every table has `version UInt64` (DerivedWriteLog: a row is
-- visible once its write completed); the replaced tables have `deleted UInt8` for tombstones and keep the latest
-- visible version of each key.
-- One row per invocation. Key (start_time, trace_hi, trace_lo, span_id): every read is a time range (the newest
-- invocations first, with a filter), which the key makes one contiguous run of the primary index per day; the id
-- completes the key so that a put or tombstone replaces exactly that invocation, and it is also the order results are
-- paged in (the cursor's start bounds the index too). A re-derived invocation whose start moved is a new key: its old
-- key gets a tombstone (the writer reads the old keys first). Daily partitions let a time range skip whole days
-- (toInt64: with the UInt64 literal alone, 18.16 divides a negative start as unsigned).
-- Span attributes are parallel arrays by type (keys and values): a term is one arrayExists over two arrays of the
-- row, read only by queries that name an attribute, and the arrays of alike rows compress well. Resource attributes
-- are held once per distinct set (search_resource_sets); 0 means the invocation has none.
CREATE TABLE IF NOT EXISTS search_invocations (
    start_time Int64,
    trace_hi UInt64,
    trace_lo UInt64,
    span_id UInt64,
    version UInt64,
    deleted UInt8,
    duration Int64,
    function String,
    entry Nullable(String),
    trigger_kind Nullable(String),
    trigger_resource Nullable(String),
    failed UInt8,
    error_type Nullable(String),
    error_message Nullable(String),
    cold UInt8,
    function_version Nullable(String),
    user_name Nullable(String),
    vip UInt8,
    request_id Nullable(String),
    resource_set UInt64,
    attr_str_keys Array(String),
    attr_str_values Array(String),
    attr_num_keys Array(String),
    attr_num_values Array(Float64),
    attr_bool_keys Array(String),
    attr_bool_values Array(UInt8),
    -- Distinct, in ordinal order.
    message_ids Array(String),
    -- Whether the invocation has a row in search_texts (the writer tombstones it there only then).
    has_texts UInt8
) ENGINE = ReplacingMergeTree(version)
PARTITION BY intDiv(start_time, toInt64(86400000000000))
ORDER BY (start_time, trace_hi, trace_lo, span_id)
;
-- Free text (payloads and log lines), apart from the invocations so that a query without free text never reads it;
-- the same key, so a free-text term reads only the query's time range of it. Rows only for invocations with texts.
CREATE TABLE IF NOT EXISTS search_texts (
    start_time Int64,
    trace_hi UInt64,
    trace_lo UInt64,
    span_id UInt64,
    version UInt64,
    deleted UInt8,
    sources Array(String),
    texts Array(String)
) ENGINE = ReplacingMergeTree(version)
PARTITION BY intDiv(start_time, toInt64(86400000000000))
ORDER BY (start_time, trace_hi, trace_lo, span_id)
;
-- Where each invocation lies in time, by id: reading invocations by id (the texts of a result page) looks up their
-- starts here (a primary-key lookup) and then reads only those starts of search_invocations. Append-only: an entry
-- of a replaced or moved invocation only widens the starts read.
-- Read by id for every result page: granules of 256 rows (see stitch.sql).
CREATE TABLE IF NOT EXISTS search_starts (
    trace_lo UInt64,
    trace_hi UInt64,
    span_id UInt64,
    start_time Int64,
    version UInt64
) ENGINE = MergeTree
ORDER BY (trace_lo, trace_hi, span_id)
SETTINGS index_granularity = 256
;
-- Resource attributes, once per distinct set (set_id: a hash of the set's content, so a set never changes).
CREATE TABLE IF NOT EXISTS search_resource_sets (
    set_id UInt64,
    version UInt64,
    attr_str_keys Array(String),
    attr_str_values Array(String),
    attr_num_keys Array(String),
    attr_num_values Array(Float64),
    attr_bool_keys Array(String),
    attr_bool_values Array(UInt8)
) ENGINE = ReplacingMergeTree(version)
ORDER BY set_id
;
-- Every attribute key ever stored, by scope (0 span, 1 resource), for autocomplete.
CREATE TABLE IF NOT EXISTS search_keys (
    scope UInt8,
    key String,
    version UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY (scope, key)
