// A window of the graph's nodes with their statements, for the one-off adoption of values written
// before the statement model (graphapi/ingest/premodel_adoption.py), $limit entities at a time in
// the order of their ids (the entity_id index gives them from $after: each call reads $limit
// entities, not the graph). Placeholders (unresolved) hold no value: returned without statements,
// the repair skips them (left out here, a window of placeholders alone would end the scan).
// mode: read
// param $after: str - the last entity id of the previous call ('' first)
// param $limit: int - entities per call
// returns: one row {nodes: list[{id, labels, props, said: list[statement props]}], next: str | None (the next call's $after; None when no entity is left)}
MATCH (n:Entity)
WHERE n.id > $after
WITH n ORDER BY n.id LIMIT $limit
WITH collect(n) AS batch
CALL (batch) {
  UNWIND batch AS n
  OPTIONAL MATCH (st:Statement {entity: n.id})
  WHERE n.unresolved IS NULL
  WITH n, collect(properties(st)) AS said
  RETURN collect({id: n.id, labels: labels(n), props: properties(n), said: said}) AS nodes
}
RETURN nodes, CASE WHEN size(batch) < $limit THEN NULL ELSE batch[-1].id END AS next
