// Node and relationship totals, for load summaries and idempotence tests.
// mode: read
// returns: one row {nodes: int, relationships: int}
MATCH (n)
WITH count(n) AS nodes
OPTIONAL MATCH ()-[r]->()
RETURN nodes, count(r) AS relationships
