// Number of distinct nodes of one label with at least one outgoing relationship of one type.
// mode: read
// placeholder label: label
// placeholder type: relationship
// returns: one row {n: int}
MATCH (n:{{label}})-[:{{type}}]->()
RETURN count(DISTINCT n) AS n
