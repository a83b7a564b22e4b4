// A failed grant's take-back on nodes (graphapi/security/grant_shares.py): the requester withdrawn
// where the grant added it (row.withdraw), and the level the grant's share relaxed put back
// (row.tlp) if the node still has the level that share gave it ($raised): a RED node a failed grant
// left AMBER was read by every agency on its sharedWith (attack round 41a, 1).
// mode: write
// param $rows: list[{id: str, withdraw: bool, tlp: str|null}] - the nodes noted by the grant
// param $requester: str - the requester's agency
// param $raised: str - the level the grant's share opened items to
// param $agency: str - the owner; only nodes with owner = $agency change
// returns: id, tlp, sharedWith (after the change: security/follow_sharing)
UNWIND $rows AS row
MATCH (n:Entity {id: row.id})
WHERE n.owner = $agency
// the grant's share entries go with it (graphapi/security/kept_shares.py): all of the requester's
// where it is withdrawn, the one at the level the grant gave where that level is put back
WITH n, row, n.tlp = $raised AND row.tlp IS NOT NULL AS putBack, [x IN coalesce(n.shares, []) WHERE NOT (
  x STARTS WITH ($requester + '|') AND (row.withdraw OR (n.tlp = $raised AND row.tlp IS NOT NULL
  AND x = ($requester + '|' + $raised))))] AS kept
// and where the level is put back, another agency's entry at that level is one a share naming no
// level took from the level the grant gave the item: it gives no level of its own now (else the
// owner's next load reopened what the refusal closed: attack round 43b, 1)
WITH n, row, reduce(out = [], x IN kept | CASE WHEN putBack AND x ENDS WITH ('|' + $raised)
  THEN CASE WHEN substring(x, 0, size(x) - size($raised)) IN out THEN out
            ELSE out + substring(x, 0, size(x) - size($raised)) END
  ELSE CASE WHEN x IN out THEN out ELSE out + x END END) AS kept
SET n.shares = CASE WHEN size(kept) = 0 THEN null ELSE kept END
WITH n, row
SET n.sharedWith = CASE WHEN row.withdraw THEN [x IN coalesce(n.sharedWith, []) WHERE x <> $requester]
                        ELSE n.sharedWith END,
    n.tlp = CASE WHEN row.tlp IS NOT NULL AND n.tlp = $raised THEN row.tlp ELSE n.tlp END
// who may find it in search, derived again after a WITH (tests/store/test_set_chains.py)
WITH n
SET n.searchAudience = {{search_audience(n)}}
RETURN n.id AS id, n.tlp AS tlp, n.sharedWith AS sharedWith
