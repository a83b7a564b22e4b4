// The loader's first look at a batch of relationships a record says again (lean rows of
// ingest/add_relationships): which are not stored as created from the very same record, by the
// digest add_relationships keeps on one it created (graphapi/ingest/write_edges.edge_digest: the
// record's id, endpoints and properties). Every other write of a relationship clears its digest
// (merge, replace, relevel, levels, retraction, share, unshare), so one still holding the record's
// digest holds every value of the record and is not held apart: add_relationships' "same". A
// reload sends one id and a short hash per relationship here instead of its properties (issue 14:
// add_relationships' compare was the largest part of a reload's store time). The others clear it
// with REMOVE, never SET r.digest = null beside another null (FalkorDB 4.x then removed another
// property: security/follow_sharing).
// mode: read
// param $rows: list[{id: str, digest: str}] - one relationship of one record each, and its digest
// placeholder type: relationship
// returns: one row {differ}: the ids of the rows whose relationship is absent or not so stored
UNWIND $rows AS row
OPTIONAL MATCH ()-[r:{{type}} {id: row.id}]->()
RETURN collect(CASE WHEN r IS NULL OR r.digest IS NULL OR r.digest <> row.digest THEN row.id END) AS differ
