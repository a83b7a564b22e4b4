// Withdraw sharing: remove agencies from sharedWith on the nodes the acting agency OWNS.
// mode: write
// param $ids: list[str] - Lintas node ids
// param $agencies: list[str] - agency ids to remove from sharedWith
// param $agency: str - the acting agency; only nodes with owner = $agency change
// returns: id of each node changed (and tlp, sharedWith after the change: security/follow_sharing);
//   the same rows when run again, so nothing asks it what the run changed (which nodes were shared:
//   security/owned_nodes_shared_with, read first)
UNWIND $ids AS nid
MATCH (n:Entity {id: nid})
WHERE n.owner = $agency
SET n.sharedWith = [x IN coalesce(n.sharedWith, []) WHERE NOT x IN $agencies]
// who may find it in search (graphapi/store/search_audience.py), derived again with its level
// after a WITH: FalkorDB evaluates a SET straight after another on the values from before both
// (tests/store/test_set_chains.py)
WITH n
SET n.searchAudience = {{search_audience(n)}}
// the owner's loads widen it by these no more (graphapi/security/kept_shares.py)
WITH n, [x IN coalesce(n.shares, []) WHERE NOT any(g IN $agencies WHERE x STARTS WITH (g + '|'))] AS kept
SET n.shares = CASE WHEN size(kept) = 0 THEN null ELSE kept END
RETURN n.id AS id, n.tlp AS tlp, n.sharedWith AS sharedWith
