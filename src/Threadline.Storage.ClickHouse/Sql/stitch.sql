-- The stitcher's state on ClickHouse (ClickHouseStitchStore). Statements are separated by lines holding only ';'.
-- Every row carries the version of the write that stored it (DerivedWriteLog: readers keep version <= the last
-- completed write). Replaced or deleted rows are newer versions of the same id (a delete: deleted = 1); readers take
-- the latest visible version of each id and drop tombstones, merges fold the older versions away.
-- Ids: a trace id is two UInt64 (high and low 64 bits), a span id one UInt64; times are Unix nanoseconds.
-- Tables read by id get granules of 256 rows: the stitcher reads a batch of random ids per commit, and each id costs
-- a whole granule per part (8,192 rows by default: the bench's ClickHouse run spent most of the server's CPU there).
--
-- Span facts, looked up by trace: keyed by the whole span id, so a trace is one contiguous run of the primary index
-- (a re-added span folds into one row). Partitioned by day of start, so TracesWithSpansStartedBefore and the purge
-- after retention read only the days before the cutoff.
CREATE TABLE IF NOT EXISTS stitch_spans (
    trace_hi UInt64,
    trace_lo UInt64,
    span_id UInt64,
    start_unix_nano Int64,
    facts String,
    version UInt64
) ENGINE = ReplacingMergeTree(version)
PARTITION BY intDiv(start_unix_nano, 86400000000000)
ORDER BY (trace_hi, trace_lo, span_id)
SETTINGS index_granularity = 256
;
-- Retention of span facts, made atomic with its delta: a span stored by an earlier write (version < this row's)
-- that started before the cutoff is gone for readers once this row is visible; the store then deletes such rows
-- with a mutation, so the filter only ever has the latest few rows to hide.
CREATE TABLE IF NOT EXISTS stitch_span_cutoffs (
    cutoff_unix_nano Int64,
    version UInt64
) ENGINE = MergeTree
ORDER BY version
;
-- Invocations by id (and by trace: a prefix of the key). key_kinds/key_texts are the keys the invocation is indexed
-- by in stitch_keys, so a put or delete reads its previous keys with the invocation (a primary-key lookup) instead
-- of scanning stitch_keys, which is sorted by key.
CREATE TABLE IF NOT EXISTS stitch_invocations (
    trace_hi UInt64,
    trace_lo UInt64,
    span_id UInt64,
    start_unix_nano Int64,
    body String,
    key_kinds Array(UInt8),
    key_texts Array(String),
    deleted UInt8,
    version UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY (trace_hi, trace_lo, span_id)
SETTINGS index_granularity = 256
;
-- The key index: FindKeys looks up (kind, key), a prefix of the key. One row per (kind, key, invocation); a key an
-- invocation no longer has gets a tombstone.
CREATE TABLE IF NOT EXISTS stitch_keys (
    kind UInt8,
    key String,
    trace_hi UInt64,
    trace_lo UInt64,
    span_id UInt64,
    deleted UInt8,
    version UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY (kind, key, trace_hi, trace_lo, span_id)
SETTINGS index_granularity = 256
;
-- Hops are looked up by either end, so each hop is stored twice in one table: side 1 keyed by its target (near =
-- to, far = from; LoadHopsInto), side 2 keyed by its source (near = from, far = to; LoadHopsOutOf). Both lookups
-- are primary-key prefixes, and a write inserts one block for both.
CREATE TABLE IF NOT EXISTS stitch_hops (
    side UInt8,
    near_hi UInt64,
    near_lo UInt64,
    near_span UInt64,
    far_hi UInt64,
    far_lo UInt64,
    far_span UInt64,
    kind UInt8,
    service String,
    resource Nullable(String),
    via String,
    both_arrived_unix_nano Int64,
    linked_at_unix_nano Int64,
    deleted UInt8,
    version UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY (side, near_hi, near_lo, near_span, far_hi, far_lo, far_span)
SETTINGS index_granularity = 256
;
-- Memberships, likewise twice: side 1 keyed by the entry (near = entry, far = member; LoadMembers), side 2 keyed by
-- the member (near = member, far = entry; LoadTransactionsOf). One table sorted by entry alone would make the
-- lookup by member a full scan.
CREATE TABLE IF NOT EXISTS stitch_memberships (
    side UInt8,
    near_hi UInt64,
    near_lo UInt64,
    near_span UInt64,
    far_hi UInt64,
    far_lo UInt64,
    far_span UInt64,
    deleted UInt8,
    version UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY (side, near_hi, near_lo, near_span, far_hi, far_lo, far_span)
SETTINGS index_granularity = 256
;
-- Transaction summaries, keyed by entry and start: LoadTransactions is a primary-key lookup by entry (in each day),
-- and the list reads only the days of its time range. A summary whose start changed leaves a tombstone at its old
-- (entry, start), so the rows of a time range alone tell which summaries are current there (no lookup of their
-- newer versions elsewhere). The member set is kept in the row too (member_*), so a put or delete reads its previous
-- members and start in the same lookup.
CREATE TABLE IF NOT EXISTS stitch_transactions (
    entry_hi UInt64,
    entry_lo UInt64,
    entry_span UInt64,
    start_unix_nano Int64,
    duration_ms Float64,
    status UInt8,
    invocation_count Int32,
    error_count Int32,
    entry_kind Nullable(String),
    entry_name String,
    entry_resource Nullable(String),
    member_hi Array(UInt64),
    member_lo Array(UInt64),
    member_span Array(UInt64),
    deleted UInt8,
    version UInt64
) ENGINE = ReplacingMergeTree(version)
PARTITION BY intDiv(start_unix_nano, 86400000000000)
ORDER BY (entry_hi, entry_lo, entry_span, start_unix_nano)
SETTINGS index_granularity = 256
;
