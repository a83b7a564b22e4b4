// Delete nodes that only the given source asserted (FtM delta DEL), with their relationships.
// mode: write
// param $ids: list[str] - Lintas node ids
// param $source: str - dataset id withdrawing its assertion
// returns: one row {id} per node deleted
UNWIND $ids AS nid
MATCH (n:Entity {id: nid})
WHERE n.sources = [$source]
DETACH DELETE n
RETURN nid AS id
