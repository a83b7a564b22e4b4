// The nodes among the given ids that hold values but no statement (written before the statement
// model): before a load's first statement about one is written, its values are adopted as its
// owner's statements (graphapi/ingest/premodel_adoption.py), so a later DEL of that statement
// takes only what it said (attack round a-103, 1). A placeholder (unresolved) holds no value.
// mode: read
// param $ids: list[str] - Lintas node ids
// returns: one row {id, labels, props} per such node
UNWIND $ids AS nid
MATCH (n:Entity {id: nid})
WHERE n.unresolved IS NULL
OPTIONAL MATCH (st:Statement {entity: nid})
WITH n, nid, count(st) AS said
WHERE said = 0
RETURN nid AS id, labels(n) AS labels, properties(n) AS props
