// A window of the graph's nodes with their statements, for the one-off adoption of values written
// before the statement model (graphapi/ingest/premodel_adoption.py), $limit entities at a time in
// the order of their ids (the entity_id index gives them from $after: each call reads $limit
// entities, not the graph). Placeholders (unresolved) hold no value: returned without statements,
// the repair skips them (left out here, a window of placeholders alone would end the scan).
// mode: read
// param $after: str - the last entity id of the previous call ('' first)
// param $limit: int - entities per call
// returns: one row {nodes: list[{id, labels, props, said: list[statement props]}], next: str | None (the next call's $after; None when no entity is left)}
// Only the statements the adoption decides from are read: the owner's and those every reader of
// the node sees (as ingest/retract_nodes counts them; the repair then keeps those feeding its
// fields). Another agency's hidden records on the node (its RED records, each its own source)
// made the read of the owner's node big enough to fail, and the start skipped it, its old values
// then lost at that agency's DEL (attack round a-117, 2): hidden statements never enlarge the read.
MATCH (n:Entity)
WHERE n.id > $after
WITH n ORDER BY n.id LIMIT $limit
WITH collect(n) AS batch
CALL (batch) {
  UNWIND batch AS n
  OPTIONAL MATCH (st:Statement {entity: n.id})
  WHERE n.unresolved IS NULL
    AND (st.owner = n.owner OR {{visible(st, null)}}
        OR (NOT coalesce(n.tlp IN ['CLEAR', 'GREEN'], false)
            AND all(a IN [n.owner] + CASE WHEN n.tlp = 'AMBER' THEN coalesce(n.sharedWith, []) ELSE [] END
                   WHERE {{visible(st, a)}})))
  WITH n, collect(properties(st)) AS said
  RETURN collect({id: n.id, labels: labels(n), props: properties(n), said: said}) AS nodes
}
RETURN nodes, CASE WHEN size(batch) < $limit THEN NULL ELSE batch[-1].id END AS next
