// A killed grant's share entry on relationships whose requester the owner's own record has named
// since (as security/drop_grant_entry_nodes; attack round 43b, 2).
// mode: write
// placeholder type: relationship
// param $rows: list[{id: str, start: str, end: str}] - the relationships the grant noted, of one type
// param $entry: str - the grant's entry, '<requester agency>|AMBER' (graphapi/security/kept_shares.py)
// param $agency: str - the owner; only relationships with owner = $agency change
// returns: id
UNWIND $rows AS row
MATCH (a:Entity {id: row.start})-[r:{{type}} {id: row.id}]->(b:Entity {id: row.end})
WHERE r.owner = $agency AND $entry IN coalesce(r.shares, [])
WITH r, [x IN r.shares WHERE x <> $entry] AS kept
SET r.shares = CASE WHEN size(kept) = 0 THEN null ELSE kept END
// one removal per update (FalkorDB#1787: tests/store/test_one_removal_per_update.py); the record
// said again is then written again, not skipped as stored alike
WITH r
REMOVE r.digest
RETURN r.id AS id
