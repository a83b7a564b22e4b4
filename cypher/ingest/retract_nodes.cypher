// Withdraw one source from nodes that other sources also assert (FtM delta DEL).
// mode: write
// param $ids: list[str] - Lintas node ids
// param $source: str - dataset id withdrawing its assertion
// returns: one row {id} per node changed
UNWIND $ids AS nid
MATCH (n:Entity {id: nid})
WHERE $source IN n.sources
SET n.sources = [s IN n.sources WHERE s <> $source]
RETURN nid AS id
