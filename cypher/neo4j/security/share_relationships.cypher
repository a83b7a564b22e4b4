// Neo4j's security/share_relationships (same parameters and result; keep the two in step) with USING INDEX SEEK:
// with the Entity.id index just recreated (its statistics empty) Neo4j planned a scan of another
// Entity index for each id (CIs of ea4c8fd and 5a018d1).
// mode: write
// placeholder type: relationship
// param $rows: list[{id: str, start: str, end: str}] - the relationships among the subgraph's nodes, of one type (security/owned_relationships_from; the type's id index seeks them)
// param $agencies: list[str] - agency ids to add to sharedWith
// param $tlp: str|null - TLP 2.0 level to open to, null = keep every level
// param $stricter: list[str] - the levels stricter than $tlp (relaxed to it; missing tlp counts as RED)
// param $agency: str - the acting agency; only relationships with owner = $agency change
// returns: id, tlp (after the change), start, end (the ends' ids: a victim's make the id a token), type (its
//   statements' values are rebuilt by type), sharedWith (after the change, as share_nodes), was (the
//   level before, as share_nodes)
UNWIND $rows AS row
MATCH (a:Entity {id: row.start})-[r:{{type}} {id: row.id}]->(b:Entity {id: row.end})
USING INDEX SEEK a:Entity(id)
WHERE r.owner = $agency
WITH a, r, b, coalesce(r.tlp, 'RED') AS was
SET r.sharedWith = [x IN coalesce(r.sharedWith, []) WHERE NOT x IN $agencies] + $agencies,
    r.tlp = CASE WHEN coalesce(r.tlp, 'RED') IN $stricter THEN $tlp ELSE r.tlp END
WITH a, r, b, was
REMOVE r.digest
WITH r, a, b, was, [x IN $agencies | x + '|' + CASE WHEN $tlp IS NOT NULL THEN $tlp
  WHEN r.tlp IN ['CLEAR', 'GREEN', 'AMBER'] THEN 'AMBER' ELSE '' END] AS gave
SET r.shares = [x IN coalesce(r.shares, []) WHERE NOT x IN gave] + gave
RETURN r.id AS id, r.tlp AS tlp, a.id AS start, b.id AS end, type(r) AS type, r.sharedWith AS sharedWith,
       was
