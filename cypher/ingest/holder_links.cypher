// The linking links between each node a load moved (its level widened, re-owned, a placeholder
// held anew) and an identifier its circuit breaker counted: whether the node holds the identifier,
// and who may see the links (graphapi/ingest/holder_bounds.py). Expanded from the moved node,
// sought by its id: the identifier's links (a hub's thousands) are never walked.
// mode: read
// param $rows: list[{h: str, i: str}] - the moved node's id and the identifier's id
// param $types: list[str] - linking relationship types (seed/exclusions policy)
// returns: rows {h, i, type, id, props}, one per link between the two; a pair with none has no row
UNWIND $rows AS row
MATCH (h:Entity {id: row.h})-[r]-(i)
WHERE i.id = row.i AND type(r) IN $types
RETURN row.h AS h, row.i AS i, type(r) AS type, r.id AS id, properties(r) AS props
