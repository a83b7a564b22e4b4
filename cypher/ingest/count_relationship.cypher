// Number of relationships of one type (load summaries, acceptance tests).
// mode: read
// placeholder type: relationship
// returns: one row {n: int}
MATCH ()-[r:{{type}}]->()
RETURN count(r) AS n
