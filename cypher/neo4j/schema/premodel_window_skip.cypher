// The one node a window of schema/premodel_values_window spans at its narrowest, skipped by the
// one-off adoption (graphapi/ingest/premodel_adoption.py) where even that window fails to read
// (timed out, or out of memory: one node's statements too many), so the start goes on past it.
// mode: read
// param $after: str - the failing window's $after (it spans the first entity id after it)
// returns: one row {id: str | None (the entity skipped; None: none left), next: str | None (the next call's $after; None when no entity is left)}
OPTIONAL MATCH (n:Entity)
WHERE n.id > $after
WITH n ORDER BY n.id LIMIT 1
RETURN n.id AS id, n.id AS next
