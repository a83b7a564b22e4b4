// The stored state of the nodes with the given ids, for the loader's provenance merge.
// mode: read
// param $ids: list[str] - Lintas node ids
// returns: one row per stored node {id, labels, props}; ids not stored are absent
UNWIND $ids AS nid
MATCH (n:Entity {id: nid})
RETURN n.id AS id, labels(n) AS labels, properties(n) AS props
