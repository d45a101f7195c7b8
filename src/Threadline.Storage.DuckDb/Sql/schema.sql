-- Threadline embedded store, schema version 3 (version 1 lacked trace_index, Sql/migrate_to_2.sql fills it; version 2
-- lacked commit_seq, Sql/migrate_to_3.sql adds it).
-- Ids are binary: a trace id is a HUGEINT (its 128 bits reinterpreted as signed), a span id a UBIGINT;
-- 0 means "none" for a parent span id and for a log record's ids. Times are Unix nanoseconds; a span
-- keeps its duration rather than its end time because durations compress far better.
-- Resources and scopes repeat on every span of an export, so they are stored once, keyed by a content hash.
-- Attributes, events and links are JSON text (see TelemetryJson), queryable with DuckDB's JSON functions.
-- The long-text placeholder after a column type marks the long JSON and text columns: zstd-compressed in files of storage version 1.2 or later
-- (DuckDbFileFormat), DuckDB's automatic choice in older files.
CREATE TABLE IF NOT EXISTS threadline_schema (version INTEGER NOT NULL);

CREATE TABLE IF NOT EXISTS resources (
    id UBIGINT NOT NULL,
    service VARCHAR NOT NULL,
    attributes VARCHAR NOT NULL,
    schema_url VARCHAR,
    dropped_attributes_count UINTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS scopes (
    id UBIGINT NOT NULL,
    name VARCHAR NOT NULL,
    version VARCHAR,
    attributes VARCHAR NOT NULL,
    dropped_attributes_count UINTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS spans (
    trace_id HUGEINT NOT NULL,
    span_id UBIGINT NOT NULL,
    parent_span_id UBIGINT NOT NULL,
    start_time_unix_nano BIGINT NOT NULL,
    duration_nanos BIGINT NOT NULL,
    name VARCHAR NOT NULL,
    kind UTINYINT NOT NULL,
    status_code UTINYINT NOT NULL,
    status_message VARCHAR,
    service VARCHAR NOT NULL,
    resource_id UBIGINT NOT NULL,
    scope_id UBIGINT NOT NULL,
    trace_state VARCHAR,
    flags UINTEGER NOT NULL,
    attributes VARCHAR{long_text} NOT NULL,
    events VARCHAR NOT NULL,
    links VARCHAR NOT NULL,
    dropped_attributes_count UINTEGER NOT NULL,
    dropped_events_count UINTEGER NOT NULL,
    dropped_links_count UINTEGER NOT NULL,
    -- The commit sequence of the write that stored the row (ITelemetryStore.LastCommitSequence); derived state
    -- follows it with a watermark. Rows are appended in this order, so its zone maps prune well.
    commit_seq BIGINT NOT NULL
);

CREATE TABLE IF NOT EXISTS logs (
    time_unix_nano BIGINT NOT NULL,
    observed_time_unix_nano BIGINT NOT NULL,
    trace_id HUGEINT NOT NULL,
    span_id UBIGINT NOT NULL,
    flags UINTEGER NOT NULL,
    severity_number UTINYINT NOT NULL,
    severity_text VARCHAR,
    event_name VARCHAR,
    body VARCHAR{long_text} NOT NULL,
    attributes VARCHAR{long_text} NOT NULL,
    service VARCHAR NOT NULL,
    resource_id UBIGINT NOT NULL,
    scope_id UBIGINT NOT NULL,
    dropped_attributes_count UINTEGER NOT NULL,
    commit_seq BIGINT NOT NULL
);

-- Where each trace's spans lie in time, so that trace by id reads only the row groups of that range: spans arrive
-- roughly in start order, so DuckDB prunes `spans` by the min/max of start_time_unix_nano, while a random trace id
-- prunes nothing. One row per trace per commit group (a trace that spans several groups has several rows); a
-- reader takes the min and max over them. The key is the trace id's low 64 bits (random in W3C and X-Ray ids alike):
-- filtering a UBIGINT column is about 100x faster here than a HUGEINT one (0.8M rows: 1.5 vs 150 ms). Two traces
-- that share them only widen each other's range; the spans query still filters on the whole trace id.
CREATE TABLE IF NOT EXISTS trace_index (
    trace_key UBIGINT NOT NULL,
    min_start_unix_nano BIGINT NOT NULL,
    max_start_unix_nano BIGINT NOT NULL
);

-- The highest commit sequence handed out, saved by retention before it deletes: when every row is deleted the
-- sequence still continues from here after a restart (a derived watermark must never be ahead of new commits).
CREATE TABLE IF NOT EXISTS commit_sequence (last_commit_seq BIGINT NOT NULL);
