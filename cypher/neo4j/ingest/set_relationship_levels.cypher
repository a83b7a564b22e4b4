// ingest/set_relationship_levels for Neo4j: the same write, the relationship sought by the type's
// id index as cypher/neo4j/ingest/replace_relationship_properties does.
// mode: write
// param $rows: list[{id: str, start: str, end: str, tlp: str, sharedWith: list[str]|null}] - the level each takes
// placeholder type: relationship
// returns: one row {id} per relationship set
UNWIND $rows AS row
MATCH ()-[r:{{type}} {id: row.id}]->()
USING INDEX SEEK r:{{type}}(id)
WHERE startNode(r).id = row.start AND endNode(r).id = row.end
SET r.tlp = row.tlp, r.sharedWith = row.sharedWith
REMOVE r.digest
RETURN row.id AS id
