// Of the identifier nodes a record made of its values (ingest/values_made), read before its DEL or
// MOD took its links, those no link of the load's source holds now (another record of the same
// source naming the same phone keeps it): the source is withdrawn from them as a DEL of each
// would (graphapi/ingest/retraction.py), so one nothing else asserts goes, and another agency's
// statement or link keeps it.
// FalkorDB trap: `s STARTS WITH $source + ':'` parses as `(s STARTS WITH $source) + ':'`
// there (a type error, measured), hence the parentheses.
// mode: read
// param $ids: list[str] - Lintas node ids
// param $source: str - dataset id withdrawing its assertion
// param $owner: str - agency id the load writes for
// param $scoped: bool - the source is the load's alone (see ingest/retract_nodes)
// returns: one row {id} per node no link of the source holds
UNWIND $ids AS nid
MATCH (n:Entity {id: nid})
OPTIONAL MATCH (n)-[x]-()
WHERE any(s IN coalesce(x.sources, []) WHERE s = $source OR s STARTS WITH ($source + ':'))
  AND ($scoped OR x.owner = $owner)
WITH nid, count(x) AS held
WHERE held = 0
RETURN nid AS id
