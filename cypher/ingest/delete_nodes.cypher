// Delete nodes that only the given source asserted (FtM delta DEL), with their relationships.
// The source's dataset sources ("ftm:<dataset>", added by the FtM reader) go with it. A load run
// for an agency deletes only nodes it owns that carry no relationship of another owner (those
// stay, with the source withdrawn by ingest/retract_nodes).
// FalkorDB trap: `s STARTS WITH $source + ':'` parses as `(s STARTS WITH $source) + ':'`
// there (a type error, measured), hence the parentheses.
// mode: write
// param $ids: list[str] - Lintas node ids
// param $source: str - dataset id withdrawing its assertion
// param $agency: str|null - the agency a load runs for: only what it owns is touched (null: the
//   operator's own load)
// returns: one row {id} per node deleted
UNWIND $ids AS nid
MATCH (n:Entity {id: nid})
WHERE $source IN n.sources AND ($agency IS NULL OR n.owner = $agency)
  AND size([s IN n.sources WHERE s <> $source AND NOT (s STARTS WITH ($source + ':'))]) = 0
OPTIONAL MATCH (n)-[x]-()
WHERE $agency IS NOT NULL AND (x.owner IS NULL OR x.owner <> $agency)
WITH n, nid, count(x) AS foreign
WHERE foreign = 0
DETACH DELETE n
RETURN nid AS id
