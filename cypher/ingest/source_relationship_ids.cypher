// The relationships a source asserts, with their types, for a whole-source replace
// (graphapi/ingest/replacement.py): those the replacing load did not assert again are retracted
// as a delta DEL of them would be (the same ones ingest/retract_relationships would touch).
// mode: read
// param $source: str - the replacing load's source (dataset id)
// param $owner: str - agency id the replacing load writes for
// param $scoped: bool - the source is the load's alone: its relationships whoever owns them;
//   false: only relationships of $owner
// returns: rows {id, type, shadow, stated}: shadow the link's blindShadow (the link its agency's
//   blind records made, told by it: graphapi/ingest/blind_replace.py), null for most; stated if the
//   source asserts it. One not stated is a shadowed link only: a blind record of the source told
//   created and not written under it (a stricter level than the victim's link: attack round
//   a-75, 4), which the replace tells as its shadow says and retracts nothing of
MATCH ()-[r]->()
WITH r, ($source IN r.sources AND ($scoped OR r.owner = $owner)) AS stated
WHERE stated OR r.blindShadow IS NOT NULL
RETURN r.id AS id, type(r) AS type, r.blindShadow AS shadow, stated
