// A killed grant's share entry on nodes whose requester the owner's own record has named since
// (graphapi/security/grant_entries.py): that record speaks for the audience now, not the grant, so
// the grant's entry must not widen the owner's later loads once its take-back has nothing left to
// take back (attack round 43b, 2: a refused requester kept reading the phone the owner narrowed).
// mode: write
// param $ids: list[str] - the nodes the grant noted the requester's place on
// param $entry: str - the grant's entry, '<requester agency>|AMBER' (graphapi/security/kept_shares.py)
// param $agency: str - the owner; only nodes with owner = $agency change
// returns: id
UNWIND $ids AS nid
MATCH (n:Entity {id: nid})
WHERE n.owner = $agency AND $entry IN coalesce(n.shares, [])
WITH n, [x IN n.shares WHERE x <> $entry] AS kept
SET n.shares = CASE WHEN size(kept) = 0 THEN null ELSE kept END
RETURN n.id AS id
