-- The analysis' derived state (IAnalysisStore) on ClickHouse 18.16, beside the span tables. Every derived table is
-- ReplacingMergeTree(version) with a `deleted` tombstone flag and is read through DerivedWriteLog's visibility filter:
-- the latest visible version of each sorting key, then tombstones dropped. The sorting key of each table is the
-- row's identity, chosen so that the analysis' reads are runs of the primary index. No PARTITION BY: a derivation may
-- touch invocations of many days at once (18.16 refuses inserts into more than 100 partitions) and retention deletes
-- with a mutation.

-- The invocations, by (function, start): ListByFunction / ListLatestByFunction / figures / release runs / the
-- minute rollups read one function over a time range, a contiguous run of the index; reads over all functions with
-- a time range (ListIssues, figures and runs of all functions) still prune per function, less tightly. Measured on
-- 18.16 with 2M invocations of 20 functions over 8 hours: one function's hour reads 32,768 rows, all functions' hour
-- 713,856 (of 2M); the index tables' lookups below read 2-4 granules. A row's id is (trace, span), but function and
-- start lead the key, so a re-derivation that moved either tombstones the row under its old key.
-- The two tables read by id (a batch of random ids per derivation) get granules of 256 rows (see stitch.sql).
CREATE TABLE IF NOT EXISTS analysis_invocations (
    function String,
    start_time_unix_nano Int64,
    trace_hi UInt64,
    trace_lo UInt64,
    span_id UInt64,
    version UInt64,
    deleted UInt8,
    is_lambda UInt8,
    code_version Nullable(String),
    code_hash Nullable(String),
    release Nullable(String),
    end_time_unix_nano Int64,
    minute_unix_nano Int64,
    duration_bucket UInt32,
    failed UInt8,
    issue_id String,
    failure Nullable(String),
    records String,
    record_of_span String,
    skipped_ranges String,
    dropped_keys String,
    cold_start UInt8,
    trigger_kind Nullable(String),
    trigger_resource Nullable(String),
    user_id Nullable(String),
    vip_marker UInt8,
    cost_usd Decimal128(24),
    gb_seconds Float64
) ENGINE = ReplacingMergeTree(version)
ORDER BY (function, start_time_unix_nano, trace_hi, trace_lo, span_id)
SETTINGS index_granularity = 256
;

-- Where each invocation is, by its id: GetInvocations (ids from search) and the replacement of a re-derived trace's
-- rows (a trace is a prefix of the key) are primary-key lookups. It carries what the replacement must undo: the
-- invocation's key in analysis_invocations, its issue, record keys and skipped shards. The start is part of the key
-- (as in every analysis table) so that retention's delete by start removes all versions of a row or none.
CREATE TABLE IF NOT EXISTS analysis_invocation_ids (
    trace_hi UInt64,
    trace_lo UInt64,
    span_id UInt64,
    version UInt64,
    deleted UInt8,
    function String,
    start_time_unix_nano Int64,
    issue_id String,
    record_keys Array(String),
    skipped_shards Array(String)
) ENGINE = ReplacingMergeTree(version)
ORDER BY (trace_hi, trace_lo, span_id, start_time_unix_nano)
SETTINGS index_granularity = 256
;

-- Failed invocations by issue and start: ListByIssue, GetIssueSpans and GetFirstOccurrenceAfter read one issue's
-- run of the index. It carries what the issue spans need (function, cold start, failure) and what finds the row in
-- analysis_invocations (function, start).
CREATE TABLE IF NOT EXISTS analysis_issue_index (
    issue_id String,
    start_time_unix_nano Int64,
    trace_hi UInt64,
    trace_lo UInt64,
    span_id UInt64,
    version UInt64,
    deleted UInt8,
    function String,
    cold_start UInt8,
    failure String
) ENGINE = ReplacingMergeTree(version)
ORDER BY (issue_id, start_time_unix_nano, trace_hi, trace_lo, span_id)
;

-- Invocations by the keys of the records they consumed and of the dropped events they received (ListByRecordKey).
CREATE TABLE IF NOT EXISTS analysis_record_key_index (
    record_key String,
    start_time_unix_nano Int64,
    trace_hi UInt64,
    trace_lo UInt64,
    span_id UInt64,
    version UInt64,
    deleted UInt8,
    function String
) ENGINE = ReplacingMergeTree(version)
ORDER BY (record_key, start_time_unix_nano, trace_hi, trace_lo, span_id)
;

-- Invocations by the shards (stream/shardId) whose dropped records they received (ListBySkippedShard).
CREATE TABLE IF NOT EXISTS analysis_skipped_shard_index (
    shard String,
    start_time_unix_nano Int64,
    trace_hi UInt64,
    trace_lo UInt64,
    span_id UInt64,
    version UInt64,
    deleted UInt8,
    function String
) ENGINE = ReplacingMergeTree(version)
ORDER BY (shard, start_time_unix_nano, trace_hi, trace_lo, span_id)
;

-- Per function, minute and release: sums of its invocations, summed again whenever a write touches the minute. Keyed
-- by (function, minute) first, as ListFunctionMinutes reads. A key column cannot be Nullable on 18.16, so a missing
-- release is has_release = 0 (and release ''). The duration histogram (DurationHistogram buckets) is two arrays.
CREATE TABLE IF NOT EXISTS analysis_function_minutes (
    function String,
    minute_unix_nano Int64,
    has_release UInt8,
    release String,
    version UInt64,
    deleted UInt8,
    invocations UInt64,
    errors UInt64,
    cold_starts UInt64,
    gb_seconds Float64,
    cost_usd Decimal128(24),
    first_start_unix_nano Int64,
    bucket_ids Array(UInt32),
    bucket_counts Array(UInt64)
) ENGINE = ReplacingMergeTree(version)
ORDER BY (function, minute_unix_nano, has_release, release)
;

-- What the owner told, not derived (retention keeps it, outside the derived write log: visible once inserted). The
-- latest write of each id wins (written_at, a per-process increasing clock), so moving a time earlier also works.
CREATE TABLE IF NOT EXISTS analysis_resolutions (
    issue_id String,
    resolved_at_unix_nano Int64,
    written_at UInt64
) ENGINE = ReplacingMergeTree(written_at)
ORDER BY issue_id
;

CREATE TABLE IF NOT EXISTS analysis_recorded_deployments (
    function String,
    code_version String,
    time_unix_nano Int64,
    written_at UInt64
) ENGINE = ReplacingMergeTree(written_at)
ORDER BY (function, code_version)
;
