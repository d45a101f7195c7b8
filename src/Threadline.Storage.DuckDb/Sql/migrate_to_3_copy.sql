-- A HUGEINT trace id holds the 128 bits reinterpreted as signed: the mask undoes the sign for both halves.
INSERT INTO spans BY NAME
SELECT * EXCLUDE (trace_id),
       ((trace_id >> 64) & 18446744073709551615)::UBIGINT AS trace_id_hi,
       (trace_id & 18446744073709551615)::UBIGINT AS trace_id_lo,
       1 AS commit_seq
FROM spans_before_3;
INSERT INTO logs BY NAME
SELECT * EXCLUDE (trace_id),
       ((trace_id >> 64) & 18446744073709551615)::UBIGINT AS trace_id_hi,
       (trace_id & 18446744073709551615)::UBIGINT AS trace_id_lo,
       1 AS commit_seq
FROM logs_before_3;
DROP TABLE spans_before_3;
DROP TABLE logs_before_3;
