// How many distinct entities each identifier node is linked to by the linking relationship
// types, counting only the links and holders the agency $agency may see (the over-correlation
// circuit breaker across loads; DESIGN.md, MISP's correlation limit): hidden links never
// quarantine an identifier for an agency that cannot see them. $agency null counts the ones
// everyone may see (CLEAR, GREEN).
// mode: read
// param $ids: list[str] - identifier node ids
// param $types: list[str] - linking relationship types (seed/exclusions policy)
// param $agency: str|null - the agency whose view is counted (null: everyone's)
// returns: one row {id, holders: int, quarantined: bool, marks: list[str]} per stored id:
//   quarantined for $agency already (the fragment quarantined), and the agencies marked so far
UNWIND $ids AS nid
MATCH (i:Entity {id: nid})
OPTIONAL MATCH (i)-[r]-(h:Entity)
WHERE type(r) IN $types AND {{visible(r)}} AND {{visible(h)}}
WITH i, nid, count(DISTINCT h) AS holders
RETURN nid AS id, holders, {{quarantined(i)}} AS quarantined, coalesce(i.quarantinedFor, []) AS marks
