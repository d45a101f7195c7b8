-- Removes the invocations listed in the temporary table search_touched (a re-derivation replaces them): a row with
-- span id 0 stands for every invocation of its trace, any other for the invocation with that root span.
-- The store writes the bounds in as numbers, so that as constant filters they let DuckDB skip the row groups outside
-- them: every invocation removed started at or after {stored_from}, and their row numbers are at least {first_inv}
-- (the smallest in search_gone; rows are numbered as appended).
CREATE OR REPLACE TEMP TABLE search_gone AS
    SELECT inv FROM search_invocations JOIN search_touched USING (trace_id_hi, trace_id_lo, span_id)
    WHERE start_ns >= {stored_from}
    UNION ALL
    SELECT inv FROM search_invocations JOIN (SELECT trace_id_hi, trace_id_lo FROM search_touched WHERE span_id = 0) USING (trace_id_hi, trace_id_lo)
    WHERE start_ns >= {stored_from};
SELECT min(inv) FROM search_gone;
DELETE FROM search_attributes WHERE inv >= {first_inv} AND inv IN (SELECT inv FROM search_gone);
DELETE FROM search_message_ids WHERE inv >= {first_inv} AND inv IN (SELECT inv FROM search_gone);
DELETE FROM search_texts WHERE inv >= {first_inv} AND inv IN (SELECT inv FROM search_gone);
DELETE FROM search_invocations WHERE inv >= {first_inv} AND inv IN (SELECT inv FROM search_gone);
