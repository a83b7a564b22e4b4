// The level and agencies of the given nodes the acting agency owns: a grant notes them before its
// share, so that its take-back withdraws only what the share gave and puts back a level it relaxed
// (graphapi/security/grant_shares.py); a share notes the identifiers among them and linked to them
// for the circuit breaker, never another agency's (graphapi/security/share.py).
// mode: read
// param $ids: list[str] - Lintas node ids
// param $agency: str - the acting agency; only nodes with owner = $agency
// returns: id, tlp, sharedWith
UNWIND $ids AS nid
MATCH (n:Entity {id: nid})
WHERE n.owner = $agency
RETURN n.id AS id, n.tlp AS tlp, n.sharedWith AS sharedWith
