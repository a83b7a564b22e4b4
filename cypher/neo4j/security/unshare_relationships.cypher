// Neo4j's security/unshare_relationships (same parameters and result; keep the two in step) with USING INDEX SEEK:
// with the Entity.id index just recreated (its statistics empty) Neo4j planned a scan of another
// Entity index for each id (CIs of ea4c8fd and 5a018d1).
// mode: write
// placeholder type: relationship
// param $rows: list[{id: str, start: str, end: str}] - the relationships among the subgraph's nodes, of one type (security/owned_relationships_from; the type's id index seeks them)
// param $agencies: list[str] - agency ids to remove from sharedWith
// param $agency: str - the acting agency; only relationships with owner = $agency change
// returns: id of each relationship changed, start, end (the ends' ids: a victim's make the id a token), type (its
//   statements' values are rebuilt by type), tlp, sharedWith (after the change: security/follow_sharing)
UNWIND $rows AS row
MATCH (a:Entity {id: row.start})-[r:{{type}} {id: row.id}]->(b:Entity {id: row.end})
USING INDEX SEEK a:Entity(id)
WHERE r.owner = $agency
SET r.sharedWith = [x IN coalesce(r.sharedWith, []) WHERE NOT x IN $agencies]
REMOVE r.digest
WITH a, r, b, [x IN coalesce(r.shares, []) WHERE NOT any(g IN $agencies WHERE x STARTS WITH (g + '|'))] AS kept
SET r.shares = CASE WHEN size(kept) = 0 THEN null ELSE kept END
RETURN r.id AS id, a.id AS start, b.id AS end, type(r) AS type, r.tlp AS tlp, r.sharedWith AS sharedWith
