-- Retention: removes the invocations that started before the cutoff ($1), and the resource sets no invocation holds.
CREATE OR REPLACE TEMP TABLE search_gone AS SELECT inv FROM search_invocations WHERE start_ns < $1;
DELETE FROM search_attributes WHERE inv IN (SELECT inv FROM search_gone);
DELETE FROM search_message_ids WHERE inv IN (SELECT inv FROM search_gone);
DELETE FROM search_texts WHERE inv IN (SELECT inv FROM search_gone);
DELETE FROM search_invocations WHERE inv IN (SELECT inv FROM search_gone);
DELETE FROM search_resource_sets WHERE set_id NOT IN (SELECT resource_set FROM search_invocations WHERE resource_set IS NOT NULL);
