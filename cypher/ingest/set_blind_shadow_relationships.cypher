// Keep on a link with an end of the load's own victims' items the link a wrong guess's records
// would have made (`blindShadow`, internal, never shown: graphapi/ingest/blind_shadow.py): the
// merged properties of its agency's blind records, a reload of which is told by it. Each is sought
// through the type's relationship index on id (see ingest/delete_relationships). Its digest goes,
// as with every write of a relationship but its creation (tests/ingest/test_relationship_digests.py).
// mode: write
// param $rows: list[{id: str, shadow: str}] - relationship id, its shadow as JSON
// placeholder type: relationship
// returns: one row {id} per relationship written
UNWIND $rows AS row
MATCH ()-[r:{{type}} {id: row.id}]->()
SET r.blindShadow = row.shadow
REMOVE r.digest
RETURN row.id AS id
