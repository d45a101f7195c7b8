-- Removes every invocation of the traces listed in the temporary table search_touched (a re-derivation replaces them).
CREATE OR REPLACE TEMP TABLE search_gone AS
    SELECT inv FROM search_invocations JOIN search_touched USING (trace_id_hi, trace_id_lo);
DELETE FROM search_attributes WHERE inv IN (SELECT inv FROM search_gone);
DELETE FROM search_message_ids WHERE inv IN (SELECT inv FROM search_gone);
DELETE FROM search_texts WHERE inv IN (SELECT inv FROM search_gone);
DELETE FROM search_invocations WHERE inv IN (SELECT inv FROM search_gone);
