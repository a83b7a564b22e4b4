// The links of the given nodes (a victim-blind DEL's guesses, told deleted) that hold a
// `blindShadow` (the link its agency's blind records made: graphapi/ingest/blind_withdrawn.py):
// the wrong guess's links go with its item, so each is told and withdrawn as its shadow says.
// Internal to the load (never shown): the caller keeps those of its own source's shadows.
// mode: read
// param $ids: list[str] - Lintas node ids
// param $source: str - the DEL's source
// returns: one row per link {id, type, shadow, stated}: stated if the source is in its sources (one
//   not, a blind record told created and never written under it: attack round a-75, 4)
UNWIND $ids AS nid
MATCH (n:Entity {id: nid})-[r]-()
WHERE r.blindShadow IS NOT NULL
RETURN DISTINCT r.id AS id, type(r) AS type, r.blindShadow AS shadow, $source IN r.sources AS stated
