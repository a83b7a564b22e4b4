// The one node a window of schema/premodel_values_window spans at its narrowest, skipped by the
// one-off adoption (graphapi/ingest/premodel_adoption.py) where even that window fails to read
// (timed out, or out of memory: one node's statements too many), so the start goes on past it.
// mode: read
// param $after: int - the failing window's first internal node id (it spans that one id)
// returns: one row {id: str | None (the entity skipped; None: no entity there), next: int (the next window's $after)}
OPTIONAL MATCH (n:Entity)
WHERE id(n) = $after
RETURN n.id AS id, $after + 1 AS next
