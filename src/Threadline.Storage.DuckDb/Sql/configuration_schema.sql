-- Alert configuration (rules, channels, silences, settings) in the same database file as the telemetry, in its own
-- table: written and read on the configuration store's own connection, never under the span writer's lock.
-- A document is JSON text the analysis module owns; version counts its changes (optimistic concurrency).
CREATE TABLE IF NOT EXISTS configuration_documents (
    kind VARCHAR NOT NULL,
    id VARCHAR NOT NULL,
    version BIGINT NOT NULL,
    document VARCHAR NOT NULL,
    updated_unix_nano BIGINT NOT NULL,
    PRIMARY KEY (kind, id)
);
