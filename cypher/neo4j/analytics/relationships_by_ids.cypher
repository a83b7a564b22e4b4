// Visible relationships by id, each named with its start and end node ids: as the shared
// analytics/relationships_by_ids (each pair's ends sought by id, the relationships read between
// them), with both seeks forced. Neo4j folds the shared statement's `WITH a, b, ids` away and, on
// some graphs' statistics, found b by walking every relationship of a (12,000 rows for 40 ids out
// of a 300-transfer hub, tests/store/test_relationships_by_ids_bounded.py run after another file);
// sought by index, a and b are joined by Expand(Into) (one pattern: two MATCHes of a and b alone
// are a cartesian product to the linter).
// mode: read
// param $rels: list[map] - [{id: str, start: str, end: str}]
// param $agency: str|null - viewer's agency (visibility of relationship and both ends)
// returns: rel {id, type, start, end, properties}
UNWIND $rels AS x
WITH x.start AS start, x.end AS end, collect(x.id) AS ids
MATCH (a:Entity {id: start})-[r]->(b:Entity {id: end})
USING INDEX SEEK a:Entity(id)
USING INDEX SEEK b:Entity(id)
WHERE r.id IN ids
  AND {{visible(a)}}
  AND {{visible(b)}}
  AND {{visible(r)}}
RETURN {id: r.id, type: type(r), start: a.id, end: b.id, properties: properties(r)} AS rel
ORDER BY rel.id
