// Neo4j's security/owned_relationships_to_seen (same parameters and result; keep the two in step) with
// USING INDEX SEEK: as for security/owned_relationships_from, Neo4j once planned a scan of another
// Entity index for each id (NodeIndexScan, CI of d89cffc).
// mode: read
// param $ids: list[str] - Lintas node ids being shared
// param $owner: str - the acting agency; only its relationships
// param $agency: str - the viewer agency (visibility of the far end and of the relationship)
// returns: id, type, start, end, far (the far end's id), shown (the viewer sees the relationship)
UNWIND $ids AS nid
MATCH (a:Entity {id: nid})
USING INDEX SEEK a:Entity(id)
WITH a
MATCH (a)-[r]-(b)
WHERE b:Entity AND r.owner = $owner AND {{visible(b)}}
RETURN r.id AS id, type(r) AS type, startNode(r).id AS start, endNode(r).id AS end, b.id AS far,
       coalesce({{visible(r)}}, false) AS shown
