// Which of a batch of node ids exist (ids only: cheap; properties() is not).
// mode: read
// param $ids: list[str] - Lintas node ids
// returns: one row {id} per stored node
UNWIND $ids AS nid
MATCH (n:Entity {id: nid})
RETURN n.id AS id
