// How many distinct entities each identifier node is linked to by the linking relationship
// types (the over-correlation circuit breaker across loads; DESIGN.md, MISP's correlation limit).
// mode: read
// param $ids: list[str] - identifier node ids
// param $types: list[str] - linking relationship types (seed/exclusions policy)
// returns: one row {id, holders: int, quarantined: bool} per stored id
UNWIND $ids AS nid
MATCH (i:Entity {id: nid})
OPTIONAL MATCH (i)-[r]-(h:Entity)
WHERE type(r) IN $types
WITH i, nid, count(DISTINCT h) AS holders
RETURN nid AS id, holders, coalesce(i.quarantined, false) AS quarantined
