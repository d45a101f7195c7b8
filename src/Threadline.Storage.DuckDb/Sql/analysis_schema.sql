-- The analysis' derived state (IAnalysisStore), in the same database file as the spans. Trace ids are split into two
-- UBIGINT halves (filtering a HUGEINT costs far more, docs/design/derived-state.md). No ART indexes: rows are
-- replaced by trace on every derivation and DuckDB's zone maps prune by the time columns.
CREATE TABLE IF NOT EXISTS analysis_invocations (
    trace_hi UBIGINT NOT NULL,
    trace_lo UBIGINT NOT NULL,
    span_id UBIGINT NOT NULL,
    function VARCHAR NOT NULL,
    is_lambda BOOLEAN NOT NULL,
    version VARCHAR,
    code_hash VARCHAR,
    release VARCHAR,
    start_time_unix_nano BIGINT NOT NULL,
    end_time_unix_nano BIGINT NOT NULL,
    minute_unix_nano BIGINT NOT NULL,
    duration_bucket INTEGER NOT NULL,
    failed BOOLEAN NOT NULL,
    issue_id VARCHAR,
    failure VARCHAR,
    records VARCHAR NOT NULL,
    record_of_span VARCHAR NOT NULL,
    skipped_ranges VARCHAR NOT NULL,
    dropped_keys VARCHAR NOT NULL,
    cold_start BOOLEAN NOT NULL,
    trigger_kind VARCHAR,
    trigger_resource VARCHAR,
    user_id VARCHAR,
    vip_marker BOOLEAN NOT NULL,
    cost_usd DECIMAL(38, 24) NOT NULL,
    gb_seconds DOUBLE NOT NULL
);

-- Batch consumers by the keys of the records they consumed (and on-failure consumers by the dropped events' keys).
CREATE TABLE IF NOT EXISTS analysis_record_keys (
    key VARCHAR NOT NULL,
    trace_hi UBIGINT NOT NULL,
    trace_lo UBIGINT NOT NULL,
    span_id UBIGINT NOT NULL,
    start_time_unix_nano BIGINT NOT NULL
);

-- Consumers of stream on-failure destinations by the shards (stream/shardId) whose dropped records they received.
CREATE TABLE IF NOT EXISTS analysis_skipped_shards (
    shard VARCHAR NOT NULL,
    trace_hi UBIGINT NOT NULL,
    trace_lo UBIGINT NOT NULL,
    span_id UBIGINT NOT NULL,
    start_time_unix_nano BIGINT NOT NULL
);

-- Per function, release and minute: sums of its invocations, summed again whenever a derivation touches the minute.
CREATE TABLE IF NOT EXISTS analysis_function_minutes (
    function VARCHAR NOT NULL,
    release VARCHAR,
    minute_unix_nano BIGINT NOT NULL,
    invocations BIGINT NOT NULL,
    errors BIGINT NOT NULL,
    cold_starts BIGINT NOT NULL,
    gb_seconds DOUBLE NOT NULL,
    cost_usd DECIMAL(38, 24) NOT NULL,
    first_start_unix_nano BIGINT NOT NULL
);

-- The duration histogram of each function minute: fixed log buckets (DurationHistogram), one row per non-empty bucket.
CREATE TABLE IF NOT EXISTS analysis_function_minute_durations (
    function VARCHAR NOT NULL,
    release VARCHAR,
    minute_unix_nano BIGINT NOT NULL,
    bucket INTEGER NOT NULL,
    count BIGINT NOT NULL
);

-- The highest span commit sequence whose analysis is written (one row).
CREATE TABLE IF NOT EXISTS analysis_watermark (watermark BIGINT NOT NULL);

-- What the owner told, not derived from spans (retention keeps it): issue resolutions and recorded deployments.
CREATE TABLE IF NOT EXISTS analysis_resolutions (
    issue_id VARCHAR NOT NULL PRIMARY KEY,
    resolved_at_unix_nano BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS analysis_recorded_deployments (
    function VARCHAR NOT NULL,
    version VARCHAR NOT NULL,
    time_unix_nano BIGINT NOT NULL,
    PRIMARY KEY (function, version)
);
