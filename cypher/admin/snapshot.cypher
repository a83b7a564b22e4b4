// Every node (labels, properties) and relationship (type, end ids, properties), for tests that
// reuse a loaded graph only while it is exactly what they loaded (a small graph: test fixtures);
// the write lease aside, whose bookkeeping every write changes.
// mode: read
// returns: one row {nodes: list of {labels, props}, relationships: list of {type, from, to, props}}
MATCH (n) WHERE NOT n:WriteLease
WITH collect({labels: labels(n), props: properties(n)}) AS nodes
OPTIONAL MATCH (a)-[r]->(b)
RETURN nodes, collect({type: type(r), from: a.id, to: b.id, props: properties(r)}) AS relationships
