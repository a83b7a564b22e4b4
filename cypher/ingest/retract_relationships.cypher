// Withdraw a delta DEL's source, and its dataset sources ("<source>:<dataset>"), from
// relationships of one type that stay (another source or owner also asserts them).
// Each is sought through the type's relationship index on id (see ingest/delete_relationships).
// FalkorDB trap: `s STARTS WITH $source + ':'` parses as `(s STARTS WITH $source) + ':'`
// there (a type error, measured), hence the parentheses.
// mode: write
// param $ids: list[str] - Lintas relationship ids
// param $source: str - dataset id withdrawing its assertion
// param $owner: str - agency id the deleting load writes for
// param $scoped: bool - the source is the load's alone (see ingest/retract_nodes): withdrawn from
//   any relationship; false: only from relationships of $owner
// param $reowned: list[str]|null - items this retraction has just re-owned from $owner
//   (graphapi/ingest/relevel.py): still withdrawn from as $owner's
// placeholder type: relationship
// returns: one row {id} per relationship the source was withdrawn from
UNWIND $ids AS rid
MATCH ()-[r:{{type}} {id: rid}]->()
WHERE $source IN r.sources AND ($scoped OR r.owner = $owner OR rid IN coalesce($reowned, []))
SET r.sources = [s IN r.sources WHERE s <> $source AND NOT (s STARTS WITH ($source + ':'))]
REMOVE r.digest
RETURN rid AS id
