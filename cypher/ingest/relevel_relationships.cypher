// Re-own relationships of one type a retraction left held only by statements narrower than
// themselves, as ingest/relevel_nodes does for nodes (graphapi/ingest/relevel.py). Each is sought
// through the type's relationship index on id (see ingest/delete_relationships).
// mode: write
// param $rows: list[{id: str, owner: str, tlp: str, sharedWith: list[str]|null, heldApart: bool|null}] - the
//   owner and level each relationship takes; heldApart, and mark, away, unseen (the retraction batch's
//   pending mark that keeps it), as in ingest/relevel_nodes
// placeholder type: relationship
// returns: one row {id} per relationship re-owned
UNWIND $rows AS row
MATCH ()-[r:{{type}} {id: row.id}]->()
// another owner's item keeps none of the old owner's shares (graphapi/security/kept_shares.py)
SET r.shares = CASE WHEN r.owner = row.owner THEN r.shares END
WITH r, row
SET r.owner = row.owner, r.tlp = row.tlp, r.sharedWith = row.sharedWith
// one removal per update (FalkorDB#1787: tests/store/test_one_removal_per_update.py)
WITH r, row
SET r.heldApart = row.heldApart
WITH r, row
REMOVE r.digest
// what a retraction batch re-owned (away from its owner, out of its sight) goes on its mark in the
// same write, as in ingest/relevel_nodes: killed after it, the batch's finish finds it re-owned
// already and would neither move its statement nor withdraw the source (attack round 45a, 3).
// Rows of one write share one mark (or none).
WITH collect(row) AS done
OPTIONAL MATCH (p:PendingRetraction)
WHERE p.id IN [x IN done WHERE x.mark IS NOT NULL | x.mark]
FOREACH (_ IN CASE WHEN p IS NULL THEN [] ELSE [1] END |
  SET p.reowned = coalesce(p.reowned, []) + [x IN done WHERE x.mark = p.id | x.id])
// one property per update (tests/store/test_one_removal_per_update.py)
WITH done, p
FOREACH (_ IN CASE WHEN p IS NULL THEN [] ELSE [1] END |
  SET p.away = coalesce(p.away, []) + [x IN done WHERE x.mark = p.id AND x.away | x.id])
WITH done, p
FOREACH (_ IN CASE WHEN p IS NULL THEN [] ELSE [1] END |
  SET p.unseen = coalesce(p.unseen, []) + [x IN done WHERE x.mark = p.id AND x.unseen | x.id])
WITH DISTINCT done
UNWIND done AS row
RETURN row.id AS id
