// Node and relationship totals of the graph, for load summaries and idempotence tests (the
// statements beside it, :Statement, are not graph nodes and are not counted).
// mode: read
// returns: one row {nodes: int, relationships: int}
MATCH (n:Entity)
WITH count(n) AS nodes
OPTIONAL MATCH ()-[r]->()
RETURN nodes, count(r) AS relationships
