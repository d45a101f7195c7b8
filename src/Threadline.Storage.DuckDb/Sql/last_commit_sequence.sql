-- Where the commit sequence continues after a restart.
SELECT greatest(
    coalesce((SELECT max(commit_seq) FROM spans), 0),
    coalesce((SELECT max(commit_seq) FROM logs), 0),
    coalesce((SELECT max(last_commit_seq) FROM commit_sequence), 0))
