// The identifier nodes a record makes of its own values (an FtM Person's passportNumber's
// IdentityDocument, her phone's Phone) among the ends of links a delta DEL just deleted, that the
// load's source asserts and no link of that source holds any more: the DEL withdraws the source
// from them as a DEL of each would (graphapi/ingest/retraction.py), so one nothing else asserts
// goes with its holder and another agency's statement or link keeps it (attack round 33, 3: her
// passport outlived her, found by every agency's search for its number). One another link of the
// same source still holds (a second holder of the number) keeps the source's statement.
// FalkorDB trap: `s STARTS WITH $source + ':'` parses as `(s STARTS WITH $source) + ':'`
// there (a type error, measured), hence the parentheses.
// mode: read
// param $ids: list[str] - the ends of the relationships the DEL just deleted
// param $labels: list[str] - the labels of the nodes a record makes of its own values
// param $source: str - dataset id withdrawing its assertion
// param $owner: str - agency id the deleting load writes for
// param $scoped: bool - the source is the load's alone (see ingest/retract_nodes)
// returns: one row {id} per such node
UNWIND $ids AS nid
MATCH (n:Entity {id: nid})
WHERE any(l IN labels(n) WHERE l IN $labels)
  AND any(s IN coalesce(n.sources, []) WHERE (s = $source OR s STARTS WITH ($source + ':'))
    AND ($scoped OR n.owner = $owner))
OPTIONAL MATCH (n)-[x]-()
WHERE any(s IN coalesce(x.sources, []) WHERE (s = $source OR s STARTS WITH ($source + ':'))
    AND ($scoped OR x.owner = $owner))
WITH nid, count(x) AS held
WHERE held = 0
RETURN nid AS id
