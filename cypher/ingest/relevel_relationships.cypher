// Re-own relationships of one type a retraction left held only by statements narrower than
// themselves, as ingest/relevel_nodes does for nodes (graphapi/ingest/relevel.py). Each is sought
// through the type's relationship index on id (see ingest/delete_relationships).
// mode: write
// param $rows: list[{id: str, owner: str, tlp: str, sharedWith: list[str]|null, heldApart: bool|null}] - the
//   owner and level each relationship takes; heldApart as in ingest/relevel_nodes
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
RETURN row.id AS id
