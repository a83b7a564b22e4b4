// The relationships a source asserts, with their types, for a whole-source replace
// (graphapi/ingest/replacement.py): those the replacing load did not assert again are retracted
// as a delta DEL of them would be (the same ones ingest/retract_relationships would touch).
// mode: read
// param $source: str - the replacing load's source (dataset id)
// param $owner: str - agency id the replacing load writes for
// param $scoped: bool - the source is the load's alone: its relationships whoever owns them;
//   false: only relationships of $owner
// returns: rows {id, type, shadow}: shadow the link's blindShadow (the link its agency's blind
//   records made, told by it: graphapi/ingest/blind_replace.py), null for most
MATCH ()-[r]->()
WHERE $source IN r.sources AND ($scoped OR r.owner = $owner)
RETURN r.id AS id, type(r) AS type, r.blindShadow AS shadow
