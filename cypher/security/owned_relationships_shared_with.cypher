// The relationships the acting agency owns that touch the given nodes (either direction) and are
// shared with any of the agencies: unshare withdraws them, as share gave them to those agencies
// from the nodes to nodes they saw (security/owned_relationships_to_seen), whatever the far end is
// now. Far ends among the given nodes come back too and are dropped by the caller
// (security/owned_relationships_from answers those).
// The nodes are found first (WITH a): with b labelled in the same pattern, Neo4j planned a scan of
// the Entity.id index from b when its statistics were stale (CI of ea4c8fd).
// mode: read
// param $ids: list[str] - Lintas node ids being unshared
// param $agency: str - the acting agency; only its relationships
// param $agencies: list[str] - the agencies being removed
// returns: id, type, start, end, far (the far end's id), tlp, sharedWith (an unshare narrows the
//   relationship's statements to them first: graphapi/security/share.py)
UNWIND $ids AS nid
MATCH (a:Entity {id: nid})
WITH a
MATCH (a)-[r]-(b)
WHERE b:Entity AND r.owner = $agency AND any(x IN coalesce(r.sharedWith, []) WHERE x IN $agencies)
RETURN r.id AS id, type(r) AS type, startNode(r).id AS start, endNode(r).id AS end, b.id AS far, r.tlp AS tlp, r.sharedWith AS sharedWith
