-- Per writer connection: the traces and function minutes one derivation touches.
CREATE TEMP TABLE IF NOT EXISTS analysis_touched_traces (trace_hi UBIGINT NOT NULL, trace_lo UBIGINT NOT NULL);
CREATE TEMP TABLE IF NOT EXISTS analysis_touched_minutes (function VARCHAR NOT NULL, minute_unix_nano BIGINT NOT NULL);
DELETE FROM analysis_touched_traces;
DELETE FROM analysis_touched_minutes;
