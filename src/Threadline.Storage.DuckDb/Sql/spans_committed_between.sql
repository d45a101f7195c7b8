
WHERE s.commit_seq BETWEEN $first AND $last
