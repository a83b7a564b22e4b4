// Visible relationships by id, each named with its start and end node ids (the edges of an
// analytic's subgraph). The ids are grouped by their pair of ends; both ends are sought by id
// (the Entity.id index) and the pair's relationships read between them (FalkorDB's Expand Into,
// Neo4j's Expand(Into): the `WITH` between the seeks and the pattern keeps FalkorDB from walking
// out of the start instead). Each pair's read is the relationships joining those two nodes, never
// all of a hub's: the start's relationships walked once per id asked cost trails x hub degree,
// and 1,000 trails out of a 20,000-transfer account ran past the store's time limit (attack
// round 51b, F2).
// mode: read
// param $rels: list[map] - [{id: str, start: str, end: str}]
// param $agency: str|null - viewer's agency (visibility of relationship and both ends)
// returns: rel {id, type, start, end, properties}
UNWIND $rels AS x
WITH x.start AS start, x.end AS end, collect(x.id) AS ids
MATCH (a:Entity {id: start})
MATCH (b:Entity {id: end})
WITH a, b, ids
WHERE {{visible(a)}}
  AND {{visible(b)}}
MATCH (a)-[r]->(b)
WHERE r.id IN ids
  AND {{visible(r)}}
RETURN {id: r.id, type: type(r), start: a.id, end: b.id, properties: properties(r)} AS rel
ORDER BY rel.id
