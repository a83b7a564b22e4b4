// The nodes linked by the linking types to nodes $ids (holders a load widened: seen by more
// agencies, each may now hold more than the limit of what they link to), for the circuit
// breaker to check (graphapi/ingest/write_correlation.py). Expanded from each holder, sought by
// its id; the caller keeps the identifiers among them.
// mode: read
// param $ids: list[str] - node ids (holders widened)
// param $types: list[str] - linking relationship types (seed/exclusions policy)
// returns: rows {h, i}: a holder and a node it links to, each pair once
UNWIND $ids AS nid
MATCH (h:Entity {id: nid})-[r]-(i)
WHERE type(r) IN $types
RETURN DISTINCT h.id AS h, i.id AS i
