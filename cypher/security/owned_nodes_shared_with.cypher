// The given nodes the acting agency owns that are shared with any of the agencies: an unshare
// withdraws their relationships, then the nodes themselves, last (graphapi/security/share.py), so
// one cut short and run again still finds them shared and withdraws what is left (attack round 37,
// 3: asked of the node write's answer, a rerun found none and left their ties shared for good).
// Only such nodes: unsharing one's own CLEAR anchor never shared with them leaves a shared person's
// link to it (attack round 21, C5).
// mode: read
// param $ids: list[str] - Lintas node ids being unshared
// param $agencies: list[str] - the agencies being removed
// param $agency: str - the acting agency; only nodes with owner = $agency
// returns: id
UNWIND $ids AS nid
MATCH (n:Entity {id: nid})
WHERE n.owner = $agency AND any(x IN coalesce(n.sharedWith, []) WHERE x IN $agencies)
RETURN n.id AS id
