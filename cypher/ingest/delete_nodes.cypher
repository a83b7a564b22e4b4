// Delete nodes that only the given source asserted (FtM delta DEL), with their relationships.
// The source's dataset sources ("ftm:<dataset>", added by the FtM reader) go with it.
// FalkorDB trap: `s STARTS WITH $source + ':'` parses as `(s STARTS WITH $source) + ':'`
// there (a type error, measured), hence the parentheses.
// mode: write
// param $ids: list[str] - Lintas node ids
// param $source: str - dataset id withdrawing its assertion
// returns: one row {id} per node deleted
UNWIND $ids AS nid
MATCH (n:Entity {id: nid})
WHERE $source IN n.sources
  AND size([s IN n.sources WHERE s <> $source AND NOT (s STARTS WITH ($source + ':'))]) = 0
DETACH DELETE n
RETURN nid AS id
