-- Threadline on ClickHouse, schema version 1 (docs/clickhouse.md explains the design). Statements are separated by
-- lines holding only ';' (the HTTP interface runs one statement per request). Placeholders in braces are filled by
-- ClickHouseSchema from the server's version: on 18.16 they are empty (no codecs, no skip indexes) and text columns
-- are plain String; from 20.3 on, columns get codecs and LowCardinality, spans and logs get skip indexes.
-- Ids: a trace id is two UInt64 (its high and low 64 bits), a span id one UInt64, 0 meaning "none". Times are Unix
-- nanoseconds in Int64; a span keeps its duration rather than its end time (durations compress far better).
-- Every span and log row carries the commit sequence of the write that stored it; `commits` says which writes
-- completed (see ClickHouseTelemetryStore for the visibility rule).
CREATE TABLE IF NOT EXISTS threadline_schema (
    version UInt32,
    created_at DateTime DEFAULT now()
) ENGINE = MergeTree ORDER BY version
;
-- One row when a write begins (state 0) and one when all of its rows are inserted (state 1): a sequence without a
-- state-1 row is a write that failed part-way, whose rows readers never see. Shared writers also mark a write they
-- gave up (state 2), so readers need not wait for it.
CREATE TABLE IF NOT EXISTS commits (
    seq UInt64,
    state UInt8,
    span_count UInt32,
    log_count UInt32,
    at DateTime DEFAULT now()
) ENGINE = MergeTree ORDER BY seq
;
-- Shared writers (added to schema version 1, created by any open): one row per claim, heartbeat and release of a
-- writer slot; a slot is live while the latest row of one of its owners is no release and younger than the lease.
-- Merges keep an owner's latest row.
CREATE TABLE IF NOT EXISTS writers (
    slot UInt32,
    owner String,
    heartbeat_us Int64,
    released UInt8
) ENGINE = ReplacingMergeTree(heartbeat_us) ORDER BY (slot, owner)
;
-- Resources and scopes repeat on every span of an export; they are stored once per content hash (a re-insert of
-- the same id is a duplicate that ReplacingMergeTree folds away and readers ignore).
CREATE TABLE IF NOT EXISTS resources (
    id UInt64,
    service String,
    attributes String,
    schema_url Nullable(String),
    dropped_attributes_count UInt32
) ENGINE = ReplacingMergeTree ORDER BY id
;
CREATE TABLE IF NOT EXISTS scopes (
    id UInt64,
    name String,
    version Nullable(String),
    attributes String,
    dropped_attributes_count UInt32
) ENGINE = ReplacingMergeTree ORDER BY id
;
-- Sorted by service, then start time: a service's spans of a time range are one contiguous run (the UI's and the
-- analysis' queries), similar rows sit together (they compress well), and the per-trace time range from
-- trace_index prunes to a few granules per service for trace by id. Partitioned by day of start, so retention
-- drops whole partitions. Granules of 2,048 rows rather than 8,192: trace by id reads about a granule or two per
-- service, so this reads a quarter of the rows (1M spans, 15 services: 48k instead of 153k) for 0.1 % more bytes.
CREATE TABLE IF NOT EXISTS spans (
    service {text},
    start_time_unix_nano Int64 {codec_time},
    trace_hi UInt64,
    trace_lo UInt64,
    span_id UInt64,
    parent_span_id UInt64,
    duration_nanos Int64 {codec_number},
    name {text},
    kind UInt8,
    status_code UInt8,
    status_message Nullable(String),
    resource_id UInt64,
    scope_id UInt64,
    trace_state Nullable(String),
    flags UInt32,
    attributes String {codec_text},
    events String {codec_text},
    links String {codec_text},
    dropped_attributes_count UInt32,
    dropped_events_count UInt32,
    dropped_links_count UInt32,
    commit_seq UInt64 {codec_number}
    {span_indexes}
) ENGINE = MergeTree
PARTITION BY toDate(toDateTime(intDiv(start_time_unix_nano, 1000000000)))
ORDER BY (service, start_time_unix_nano)
SETTINGS index_granularity = 2048
;
-- Where each trace's spans lie in time (as the OpenTelemetry exporter's trace-id table, SigNoz and Jaeger do): one
-- row per trace per write; trace by id reads min/max over a trace's rows (a primary-key lookup), then only that
-- range of spans. Keyed by the low 64 bits of the trace id (random in W3C and X-Ray ids alike), which saves a third
-- of the table: two traces that share them only widen each other's range, the spans query filters on the whole id.
CREATE TABLE IF NOT EXISTS trace_index (
    trace_lo UInt64,
    min_start_unix_nano Int64 {codec_number},
    max_start_unix_nano Int64 {codec_number}
) ENGINE = MergeTree
PARTITION BY toDate(toDateTime(intDiv(min_start_unix_nano, 1000000000)))
ORDER BY trace_lo
;
CREATE TABLE IF NOT EXISTS logs (
    service {text},
    time_unix_nano Int64 {codec_time},
    observed_time_unix_nano Int64 {codec_time},
    trace_hi UInt64,
    trace_lo UInt64,
    span_id UInt64,
    flags UInt32,
    severity_number UInt8,
    severity_text Nullable(String),
    event_name Nullable(String),
    body String {codec_text},
    attributes String {codec_text},
    resource_id UInt64,
    scope_id UInt64,
    dropped_attributes_count UInt32,
    commit_seq UInt64 {codec_number}
    {log_indexes}
) ENGINE = MergeTree
PARTITION BY toDate(toDateTime(intDiv(time_unix_nano, 1000000000)))
ORDER BY (service, time_unix_nano)
