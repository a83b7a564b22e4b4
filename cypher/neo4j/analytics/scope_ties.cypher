// Neo4j's analytics/scope_ties (same parameters and result; keep the two in step) in a shape whose
// plan does not depend on the statistics it is made on (as expand/edges_among): each frontier node
// sought by its id (USING INDEX SEEK), then a walk out of it; the far end is an expression of the
// walk, not a pattern node. As `(b:Entity)` the planner could find b by its visibility: on a dense
// graph (or its statistics) it sought every visible Entity through the tlp and owner indexes and
// paired it with each frontier node (CartesianProduct, Expand(Into)): after another test module's
// graph, 1,000-2,000 frontier ids read 4 million pages, 9-27 s a call for 0.1-0.7 s.
// mode: read
// param $ids: list[str] - frontier node ids (already checked visible)
// param $types: list[str]|null - relationship types to follow, null = all
// param $excluded: list[str] - relationship types never followed, [] = none (excludeRelationshipTypes)
// param $since: str|null - ISO 8601 lower bound on a relationship's date, inclusive (undated pass)
// param $until: str|null - ISO 8601 upper bound on a relationship's date, inclusive (undated pass)
// param $agency: str|null - viewer's agency (visibility of relationship and neighbour)
// returns: id, others (list[str]: a neighbour's id per visible relationship)
UNWIND $ids AS nid
MATCH (a:Entity {id: nid})-[r]-()
USING INDEX SEEK a:Entity(id)
WITH a, r, CASE WHEN startNode(r) = a THEN endNode(r) ELSE startNode(r) END AS b
WHERE b:Entity
  AND ($types IS NULL OR type(r) IN $types)
  AND NOT type(r) IN $excluded
  AND ($since IS NULL OR coalesce(r.at, r.to, r.from) IS NULL OR coalesce(r.at, r.to, r.from) >= $since)
  AND ($until IS NULL OR coalesce(r.at, r.from, r.to) IS NULL OR coalesce(r.at, r.from, r.to) <= $until)
  AND {{visible(r)}}
  AND {{visible(b)}}
RETURN a.id AS id, collect(b.id) AS others
