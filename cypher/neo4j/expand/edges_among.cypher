// Neo4j's expand/edges_among (same parameters and result; keep the two in step) in a shape whose
// plan does not depend on the statistics it is made on: each given node sought by its id (USING
// INDEX SEEK: with the index's statistics stale, created empty then a load, the planner scanned
// the whole index for each id), then a walk out of it. The far end is endNode(r), not a pattern
// node: as `(b:Entity) WHERE b.id IN $ids` the planner could seek it too, and on a dense graph
// (or statistics of one) it did, each given id paired with every other by Expand(Into), or every
// given id sought again per id: quadratic in the ids, 1,000 of them took 30-50 s for 0.4 s.
// mode: read
// param $ids: list[str] - node ids of the subgraph (all already checked visible)
// param $types: list[str]|null - relationship types, null = all
// param $excluded: list[str] - relationship types left out, [] = none (excludeRelationshipTypes)
// param $since: str|null - ISO 8601 lower bound on a relationship's date, inclusive (undated pass)
// param $until: str|null - ISO 8601 upper bound on a relationship's date, inclusive (undated pass)
// param $limit: int - at most this many relationships
// param $agency: str|null - viewer's agency (visibility)
// returns: rel {id, type, start, end, properties}
UNWIND $ids AS nid
MATCH (a:Entity {id: nid})-[r]->()
USING INDEX SEEK a:Entity(id)
WITH a, r, endNode(r) AS b
WHERE b:Entity AND b.id IN $ids
  AND ($types IS NULL OR type(r) IN $types)
  AND NOT type(r) IN $excluded
  AND ($since IS NULL OR coalesce(r.at, r.to, r.from) IS NULL OR coalesce(r.at, r.to, r.from) >= $since)
  AND ($until IS NULL OR coalesce(r.at, r.from, r.to) IS NULL OR coalesce(r.at, r.from, r.to) <= $until)
  AND {{visible(r)}}
RETURN {id: r.id, type: type(r), start: a.id, end: b.id, properties: properties(r)} AS rel
LIMIT $limit
