// Withdraw sharing of a subgraph's relationships: remove agencies from sharedWith on the
// relationships between two of the given nodes that the acting agency OWNS.
// mode: write
// param $ids: list[str] - Lintas node ids of the subgraph
// param $agencies: list[str] - agency ids to remove from sharedWith
// param $agency: str - the acting agency; only relationships with owner = $agency change
// returns: id of each relationship changed, start, end (the ends' ids: a victim's make the id a token), type (its
//   statements' values are rebuilt by type), tlp, sharedWith (after the change: security/follow_sharing)
UNWIND $ids AS nid
MATCH (a:Entity {id: nid})-[r]->(b:Entity)
WHERE b.id IN $ids AND r.owner = $agency
SET r.sharedWith = [x IN coalesce(r.sharedWith, []) WHERE NOT x IN $agencies]
RETURN r.id AS id, a.id AS start, b.id AS end, type(r) AS type, r.tlp AS tlp, r.sharedWith AS sharedWith
