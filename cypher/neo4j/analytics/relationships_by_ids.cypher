// Visible relationships by id, each named with its start and end node ids: as the shared
// analytics/relationships_by_ids (each pair's ends sought by id, the relationships read between
// them). Neo4j folds the shared statement's `WITH a, b, ids` away, and index hints fix the seeks
// but not the join: on some graphs' statistics it walked every relationship of a and joined on b
// (12,000 rows for 40 ids out of a 300-transfer hub, tests/store/test_relationships_by_ids_bounded.py,
// in CI after other files). The subquery imports both ends, so its pattern can only be read
// between them (Expand(Into)); the ends are one MATCH each, joined by the row (no cartesian product),
// each sought by its id (the hints: without them, after another file's graph, Neo4j split the
// visibility test's OR and scanned the owner index for one branch, 12,040 rows).
// mode: read
// param $rels: list[map] - [{id: str, start: str, end: str}]
// param $agency: str|null - viewer's agency (visibility of relationship and both ends)
// returns: rel {id, type, start, end, properties}
UNWIND $rels AS x
WITH x.start AS start, x.end AS end, collect(x.id) AS ids
MATCH (a:Entity {id: start})
USING INDEX SEEK a:Entity(id)
WHERE {{visible(a)}}
CALL (a, end, ids) {
  MATCH (b:Entity {id: end})
  USING INDEX SEEK b:Entity(id)
  WHERE {{visible(b)}}
  CALL (a, b, ids) {
    MATCH (a)-[r]->(b)
    WHERE r.id IN ids
      AND {{visible(r)}}
    RETURN r
  }
  RETURN b, r
}
RETURN {id: r.id, type: type(r), start: a.id, end: b.id, properties: properties(r)} AS rel
ORDER BY rel.id
