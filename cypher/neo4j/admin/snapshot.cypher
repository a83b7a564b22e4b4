// Every node (labels, properties) and relationship (type, end ids, properties), for tests that
// reuse a loaded graph only while it is exactly what they loaded (a small graph: test fixtures);
// the write lease aside, whose bookkeeping every write changes.
// mode: read
// returns: one row {nodes: list of {labels, props}, relationships: list of {type, from, to, props}}
// The relationships are collected in a subquery: collected after the nodes' list in the same
// query, they were grouped by that list, which FalkorDB hashes once per relationship (a graph of
// 3,400 nodes and 2,700 relationships took over a minute). Neo4j names the subquery's scope: CALL ().
MATCH (n) WHERE NOT n:WriteLease
WITH collect({labels: labels(n), props: properties(n)}) AS nodes
CALL () {
  OPTIONAL MATCH (a)-[r]->(b)
  RETURN collect({type: type(r), from: a.id, to: b.id, props: properties(r)}) AS relationships
}
RETURN nodes, relationships
