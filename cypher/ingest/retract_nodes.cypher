// Withdraw one source, and its dataset sources ("<source>:<dataset>"), from nodes that other
// sources also assert (FtM delta DEL).
// FalkorDB trap: `s STARTS WITH $source + ':'` parses as `(s STARTS WITH $source) + ':'`
// there (a type error, measured), hence the parentheses.
// mode: write
// param $ids: list[str] - Lintas node ids
// param $source: str - dataset id withdrawing its assertion
// param $agency: str|null - the agency a load runs for: only what it owns is touched (null: the
//   operator's own load)
// returns: one row {id} per node changed
UNWIND $ids AS nid
MATCH (n:Entity {id: nid})
WHERE $source IN n.sources AND ($agency IS NULL OR n.owner = $agency)
SET n.sources = [s IN n.sources WHERE s <> $source AND NOT (s STARTS WITH ($source + ':'))]
RETURN nid AS id
