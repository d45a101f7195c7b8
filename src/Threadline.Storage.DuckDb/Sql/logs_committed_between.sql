WHERE l.commit_seq BETWEEN $first AND $last
