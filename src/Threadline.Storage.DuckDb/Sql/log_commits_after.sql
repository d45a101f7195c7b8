-- The commits past a watermark and how many log records each holds, to split a scan into bounded range queries.
SELECT commit_seq, count(*) FROM logs
WHERE commit_seq > $after AND commit_seq <= $through
GROUP BY commit_seq
ORDER BY commit_seq
