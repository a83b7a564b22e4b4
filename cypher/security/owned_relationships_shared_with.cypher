// The relationships the acting agency owns that touch the given nodes (either direction) and are
// shared with any of the agencies: unshare withdraws them, as share gave them to those agencies
// from the nodes to nodes they saw (security/owned_relationships_to_seen), whatever the far end is
// now. Far ends among the given nodes come back too and are dropped by the caller
// (security/owned_relationships_from answers those).
// mode: read
// param $ids: list[str] - Lintas node ids being unshared
// param $agency: str - the acting agency; only its relationships
// param $agencies: list[str] - the agencies being removed
// returns: id, type, start, end, far (the far end's id), tlp, sharedWith (an unshare narrows the
//   relationship's statements to them first: graphapi/security/share.py)
UNWIND $ids AS nid
MATCH (a:Entity {id: nid})-[r]-(b:Entity)
WHERE r.owner = $agency AND any(x IN coalesce(r.sharedWith, []) WHERE x IN $agencies)
RETURN r.id AS id, type(r) AS type, startNode(r).id AS start, endNode(r).id AS end, b.id AS far, r.tlp AS tlp, r.sharedWith AS sharedWith
