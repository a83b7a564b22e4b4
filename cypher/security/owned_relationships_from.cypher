// The relationships the acting agency owns out of the given nodes, with their far ends: share and
// unshare keep those whose end is one of the nodes too (graphapi/security/share.py). Asking
// "is the end among the nodes" in Cypher (b.id IN $ids) is a list scan per relationship, which
// made a share of 2,000 nodes take 12 s and one of 5,000 time out (attack round 6, G5).
// The nodes are found first (WITH a): with b labelled in the same pattern, Neo4j planned a scan of
// the Entity.id index from b when its statistics were stale (CI of ea4c8fd).
// mode: read
// param $ids: list[str] - Lintas node ids of the subgraph
// param $agency: str - the acting agency
// returns: id, type, start, end, tlp, sharedWith (an unshare narrows the relationship's statements to
//   them first: graphapi/security/share.py)
UNWIND $ids AS nid
MATCH (a:Entity {id: nid})
WITH a
MATCH (a)-[r]->(b)
WHERE b:Entity AND r.owner = $agency
RETURN r.id AS id, type(r) AS type, a.id AS start, b.id AS end, r.tlp AS tlp, r.sharedWith AS sharedWith
