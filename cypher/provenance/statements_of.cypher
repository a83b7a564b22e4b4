// Every stored statement about the given nodes, for the loader's merge and the value rebuild
// (no visibility: the loader's own bookkeeping).
// mode: read
// param $ids: list[str] - Lintas node ids
// returns: one row {id, props} per statement
UNWIND $ids AS nid
MATCH (s:Statement {entity: nid})
RETURN s.id AS id, properties(s) AS props
