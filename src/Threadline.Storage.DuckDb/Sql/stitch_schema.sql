-- The stitcher's state (issue 13): what StitchEngine derives from the spans, so that a start reads it instead of
-- replaying every span. Ids are split into UBIGINT columns (trace_hi, trace_lo, span_id): filters on UBIGINT are far
-- cheaper than on HUGEINT (docs/design/derived-state.md). Every lookup is by an indexed UBIGINT column (ART index):
-- span_id for an invocation or hop end (the full id is checked after), trace_lo for a trace, key_hash for a key.
-- After an unclean stop the indexes are rebuilt at open (DuckDbStitchStore.RebuildIndexes): an ART index replayed
-- from the write-ahead log and then checkpointed answered lookups with nothing (KillNineStitchTests).
-- Rows are replaced (deleted and inserted) in the stitcher's own transaction, with its watermark.
CREATE TABLE IF NOT EXISTS stitch_spans (
    trace_hi UBIGINT NOT NULL,
    trace_lo UBIGINT NOT NULL,
    span_id UBIGINT NOT NULL,
    start_unix_nano BIGINT NOT NULL,
    facts VARCHAR NOT NULL
);
CREATE INDEX IF NOT EXISTS stitch_spans_trace ON stitch_spans (trace_lo);

CREATE TABLE IF NOT EXISTS stitch_invocations (
    trace_hi UBIGINT NOT NULL,
    trace_lo UBIGINT NOT NULL,
    span_id UBIGINT NOT NULL,
    start_unix_nano BIGINT NOT NULL,
    body VARCHAR NOT NULL
);
CREATE INDEX IF NOT EXISTS stitch_invocations_span ON stitch_invocations (span_id);
CREATE INDEX IF NOT EXISTS stitch_invocations_trace ON stitch_invocations (trace_lo);

-- kind: 1 outbound key, 2 inbound key, 3 DynamoDB write pair, 4 DynamoDB stream read, 5 Lambda request id.
-- key_hash: the first 8 bytes of SHA-256 of kind and key, so the index holds fixed-size keys.
CREATE TABLE IF NOT EXISTS stitch_keys (
    key_hash UBIGINT NOT NULL,
    kind UTINYINT NOT NULL,
    key VARCHAR NOT NULL,
    trace_hi UBIGINT NOT NULL,
    trace_lo UBIGINT NOT NULL,
    span_id UBIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS stitch_keys_hash ON stitch_keys (key_hash);
CREATE INDEX IF NOT EXISTS stitch_keys_span ON stitch_keys (span_id);

CREATE TABLE IF NOT EXISTS stitch_hops (
    from_hi UBIGINT NOT NULL,
    from_lo UBIGINT NOT NULL,
    from_span UBIGINT NOT NULL,
    to_hi UBIGINT NOT NULL,
    to_lo UBIGINT NOT NULL,
    to_span UBIGINT NOT NULL,
    kind UTINYINT NOT NULL,
    service VARCHAR NOT NULL,
    resource VARCHAR,
    via VARCHAR NOT NULL,
    both_arrived_unix_nano BIGINT NOT NULL,
    linked_at_unix_nano BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS stitch_hops_from ON stitch_hops (from_span);
CREATE INDEX IF NOT EXISTS stitch_hops_to ON stitch_hops (to_span);

CREATE TABLE IF NOT EXISTS stitch_memberships (
    entry_hi UBIGINT NOT NULL,
    entry_lo UBIGINT NOT NULL,
    entry_span UBIGINT NOT NULL,
    member_hi UBIGINT NOT NULL,
    member_lo UBIGINT NOT NULL,
    member_span UBIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS stitch_memberships_entry ON stitch_memberships (entry_span);
CREATE INDEX IF NOT EXISTS stitch_memberships_member ON stitch_memberships (member_span);

-- One summary per transaction; the list reads it latest first, pruned by start_unix_nano.
CREATE TABLE IF NOT EXISTS stitch_transactions (
    entry_hi UBIGINT NOT NULL,
    entry_lo UBIGINT NOT NULL,
    entry_span UBIGINT NOT NULL,
    start_unix_nano BIGINT NOT NULL,
    duration_ms DOUBLE NOT NULL,
    status UTINYINT NOT NULL,
    invocation_count INTEGER NOT NULL,
    error_count INTEGER NOT NULL,
    entry_kind VARCHAR,
    entry_name VARCHAR NOT NULL,
    entry_resource VARCHAR
);
CREATE INDEX IF NOT EXISTS stitch_transactions_entry ON stitch_transactions (entry_span);

-- One row: the highest span commit sequence whose derivation is written.
CREATE TABLE IF NOT EXISTS stitch_watermark (
    sequence BIGINT NOT NULL
);
