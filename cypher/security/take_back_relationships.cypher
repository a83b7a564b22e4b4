// A failed grant's take-back on relationships (graphapi/security/grant_shares.py): the requester
// withdrawn where the grant added it (row.withdraw), and the level the grant's share relaxed put
// back (row.tlp) if the relationship still has the level that share gave it ($raised) (attack
// round 41a, 1: a RED tie a failed grant left AMBER was read by every agency on its sharedWith).
// mode: write
// placeholder type: relationship
// param $rows: list[{id: str, start: str, end: str, withdraw: bool, tlp: str|null}] - the relationships noted by the grant, of one type
// param $requester: str - the requester's agency
// param $raised: str - the level the grant's share opened items to
// param $agency: str - the owner; only relationships with owner = $agency change
// returns: id, start, end, type, tlp, sharedWith (after the change: security/follow_sharing)
UNWIND $rows AS row
MATCH (a:Entity {id: row.start})-[r:{{type}} {id: row.id}]->(b:Entity {id: row.end})
WHERE r.owner = $agency
// the grant's share entries go with it (graphapi/security/kept_shares.py): all of the requester's
// where it is withdrawn, the one at the level the grant gave where that level is put back
WITH a, r, b, row, r.tlp = $raised AND row.tlp IS NOT NULL AS putBack, [x IN coalesce(r.shares, []) WHERE NOT (
  x STARTS WITH ($requester + '|') AND (row.withdraw OR (r.tlp = $raised AND row.tlp IS NOT NULL
  AND x = ($requester + '|' + $raised))))] AS kept
// and where the level is put back, another agency's entry at that level is one a share naming no
// level took from the level the grant gave the item: it gives no level of its own now (else the
// owner's next load reopened what the refusal closed: attack round 43b, 1)
WITH a, r, b, row, reduce(out = [], x IN kept | CASE WHEN putBack AND x ENDS WITH ('|' + $raised)
  THEN CASE WHEN substring(x, 0, size(x) - size($raised)) IN out THEN out
            ELSE out + substring(x, 0, size(x) - size($raised)) END
  ELSE CASE WHEN x IN out THEN out ELSE out + x END END) AS kept
SET r.shares = CASE WHEN size(kept) = 0 THEN null ELSE kept END
WITH a, r, b, row
SET r.sharedWith = CASE WHEN row.withdraw THEN [x IN coalesce(r.sharedWith, []) WHERE x <> $requester]
                        ELSE r.sharedWith END,
    r.tlp = CASE WHEN row.tlp IS NOT NULL AND r.tlp = $raised THEN row.tlp ELSE r.tlp END
// one removal per update (FalkorDB#1787: tests/store/test_one_removal_per_update.py)
WITH a, r, b
REMOVE r.digest
RETURN r.id AS id, a.id AS start, b.id AS end, type(r) AS type, r.tlp AS tlp, r.sharedWith AS sharedWith
