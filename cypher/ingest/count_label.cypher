// Number of nodes carrying one label (load summaries, acceptance tests).
// mode: read
// placeholder label: label
// returns: one row {n: int}
MATCH (n:{{label}})
RETURN count(n) AS n
