// Visible relationships by id, each named with its start and end node ids (the edges of an
// analytic's subgraph): seek the start node, then walk its relationships to the end node.
// mode: read
// param $rels: list[map] - [{id: str, start: str, end: str}]
// param $agency: str|null - viewer's agency (visibility of relationship and both ends)
// returns: rel {id, type, start, end, properties}
UNWIND $rels AS x
MATCH (a:Entity {id: x.start})
WITH a, x
MATCH (a)-[r]->(b:Entity)
WHERE r.id = x.id
  AND b.id = x.end
  AND {{visible(r)}}
  AND {{visible(a)}}
  AND {{visible(b)}}
RETURN {id: r.id, type: type(r), start: a.id, end: b.id, properties: properties(r)} AS rel
ORDER BY rel.id
