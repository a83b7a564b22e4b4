// A window of the graph's nodes with their statements, for the one-off adoption of values written
// before the statement model (graphapi/ingest/premodel_adoption.py): the repair adopts, as the
// owner's statements, each value of a node that no statement gives. Once per graph at start-up,
// then schema/mark_premodel_values_adopted. Placeholders (unresolved) hold no value: left out.
// The window is $limit internal node ids from $after, a label-and-id seek, so each call's work is
// bounded whatever the graph's size (as schema/repair_search_audience).
// mode: read
// param $after: int - the window's first internal node id (0 first, then the previous call's next)
// param $limit: int - how many internal ids a window spans
// returns: one row {nodes: list[{id (null: none), labels, props, said: list[statement props]}], next: int | None (the next window's $after; None when no entity is left)}
// (the window's end named first: FalkorDB seeks `id(rest) >= end` by id, and scanned the label
// from its start for `id(rest) >= $after + $limit`, each window's cost growing with its place)
WITH $after + $limit AS end
OPTIONAL MATCH (rest:Entity)
WHERE id(rest) >= end
WITH end, rest LIMIT 1
WITH CASE WHEN rest IS NULL THEN NULL ELSE end END AS next
OPTIONAL MATCH (n:Entity)
WHERE id(n) >= $after AND id(n) < $after + $limit AND n.unresolved IS NULL
// (a subquery: FalkorDB's statement index seek on a null n, an empty window's, fails outside one)
CALL {
  WITH n
  OPTIONAL MATCH (st:Statement)
  WHERE st.entity = n.id
  RETURN collect(properties(st)) AS said
}
// (an empty window: one row of nulls, its node's id null)
RETURN collect({id: n.id, labels: labels(n), props: properties(n), said: said}) AS nodes, next
