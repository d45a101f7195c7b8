-- The search index (issue 16, docs/search.md), a derived part: one row per invocation with typed columns, and
-- side tables keyed by the invocation's row number `inv` (assigned when the row is written; a re-derived trace gets
-- new numbers). Attribute keys are dictionary-encoded in search_keys; each attribute row holds one typed value; resource attributes are kept once per
-- distinct set in search_resource_sets.
CREATE SEQUENCE IF NOT EXISTS search_inv_seq START 1;
CREATE TABLE IF NOT EXISTS search_invocations (
    inv BIGINT NOT NULL,
    trace_id_hi UBIGINT NOT NULL,
    trace_id_lo UBIGINT NOT NULL,
    span_id UBIGINT NOT NULL,
    start_ns BIGINT NOT NULL,
    duration_ns BIGINT NOT NULL,
    function VARCHAR NOT NULL,
    entry VARCHAR,
    trigger_kind VARCHAR,
    trigger_resource VARCHAR,
    failed BOOLEAN NOT NULL,
    error_type VARCHAR,
    error_message VARCHAR,
    cold BOOLEAN NOT NULL,
    version VARCHAR,
    user_name VARCHAR,
    vip BOOLEAN NOT NULL,
    request_id VARCHAR,
    -- The set of resource attributes of the invocation's spans (search_resource_sets), NULL when there are none.
    resource_set UBIGINT
);
CREATE TABLE IF NOT EXISTS search_keys (
    key_id INTEGER NOT NULL PRIMARY KEY,
    scope UTINYINT NOT NULL,
    key VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS search_attributes (
    inv BIGINT NOT NULL,
    key_id INTEGER NOT NULL,
    str VARCHAR,
    num DOUBLE,
    flag BOOLEAN
);
-- Resource attributes, stored once per distinct set rather than once per invocation: the invocations of one function
-- instance share one set. set_id is a 64-bit hash of the set's keys and values.
CREATE TABLE IF NOT EXISTS search_resource_sets (
    set_id UBIGINT NOT NULL,
    key_id INTEGER NOT NULL,
    str VARCHAR,
    num DOUBLE,
    flag BOOLEAN
);
CREATE TABLE IF NOT EXISTS search_message_ids (
    inv BIGINT NOT NULL,
    message_id VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS search_texts (
    inv BIGINT NOT NULL,
    source VARCHAR NOT NULL,
    text VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS search_watermark (
    watermark BIGINT NOT NULL
);
