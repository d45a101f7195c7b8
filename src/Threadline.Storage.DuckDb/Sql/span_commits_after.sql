-- The commits past a watermark and how many spans each holds, to split a scan into bounded range queries.
SELECT commit_seq, count(*) FROM spans
WHERE commit_seq > $after AND commit_seq <= $through
GROUP BY commit_seq
ORDER BY commit_seq
