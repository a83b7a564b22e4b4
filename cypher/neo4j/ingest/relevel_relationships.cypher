// Neo4j's ingest/relevel_relationships (same parameters, placeholders and result; keep the two in
// step) with USING INDEX SEEK on the id, as cypher/neo4j/ingest/set_relationship_levels does.
// mode: write
// param $rows: list[{id: str, owner: str, tlp: str, sharedWith: list[str]|null, heldApart: bool|null}] - the
//   owner and level each relationship takes; heldApart as in ingest/relevel_nodes
// placeholder type: relationship
// returns: one row {id} per relationship re-owned
UNWIND $rows AS row
MATCH ()-[r:{{type}} {id: row.id}]->()
USING INDEX SEEK r:{{type}}(id)
// another owner's item keeps none of the old owner's shares (graphapi/security/kept_shares.py)
SET r.shares = CASE WHEN r.owner = row.owner THEN r.shares END
WITH r, row
SET r.owner = row.owner, r.tlp = row.tlp, r.sharedWith = row.sharedWith, r.heldApart = row.heldApart
REMOVE r.digest
RETURN row.id AS id
