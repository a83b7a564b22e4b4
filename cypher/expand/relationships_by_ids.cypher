// The rows of relationships a page of expand/relationships holds by id alone (the hidden ones,
// which the caller ordered by token): each with its far end, visibility checked again.
// mode: read
// param $pages: list[map] - [{node: str, ids: list[str]}]: a node and ids of its relationships
// param $agency: str|null - viewer's agency (visibility of the node, relationship and far end)
// returns: id (the node), rows [{rel, node}]
UNWIND $pages AS p
MATCH (a:Entity {id: p.node})
WHERE {{visible(a)}}
MATCH (a)-[r]-(b:Entity)
WHERE r.id IN p.ids
  AND {{visible(r)}}
  AND {{visible(b)}}
RETURN a.id AS id, collect({rel: {id: r.id, type: type(r), start: startNode(r).id, end: endNode(r).id,
                                  properties: properties(r)},
                            node: {id: b.id, labels: labels(b), properties: properties(b)}}) AS rows
