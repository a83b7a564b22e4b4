// Neo4j's security/owned_relationships_from (same parameters and result; keep the two in step) with USING INDEX SEEK:
// with the Entity.id index just recreated (its statistics empty) Neo4j planned a scan of another
// Entity index for each id (CIs of ea4c8fd and 5a018d1).
// mode: read
// param $ids: list[str] - Lintas node ids of the subgraph
// param $agency: str - the acting agency
// returns: id, type, start, end, tlp, sharedWith (an unshare narrows the relationship's statements to
//   them first: graphapi/security/share.py)
UNWIND $ids AS nid
MATCH (a:Entity {id: nid})
USING INDEX SEEK a:Entity(id)
WITH a
MATCH (a)-[r]->(b)
WHERE b:Entity AND r.owner = $agency
RETURN r.id AS id, type(r) AS type, a.id AS start, b.id AS end, r.tlp AS tlp, r.sharedWith AS sharedWith
