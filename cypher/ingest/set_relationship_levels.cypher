// Set the level (tlp, sharedWith) of relationships an owner's record widened, once their fields
// hold only what the new level may show: the last write of the widening, as
// ingest/set_node_levels for nodes (graphapi/ingest/write_edges.py). Sought through the type's
// relationship index on id, as ingest/replace_relationship_properties.
// mode: write
// param $rows: list[{id: str, start: str, end: str, tlp: str, sharedWith: list[str]|null}] - the level each takes
// placeholder type: relationship
// returns: one row {id} per relationship set
UNWIND $rows AS row
MATCH ()-[r:{{type}} {id: row.id}]->()
WHERE startNode(r).id = row.start AND endNode(r).id = row.end
SET r.tlp = row.tlp, r.sharedWith = row.sharedWith
REMOVE r.digest
RETURN row.id AS id
