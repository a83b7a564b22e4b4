// Nodes adjacent to both of two nodes (paths of length two), in either direction.
// mode: read
// param $a: str - Lintas node id
// param $b: str - Lintas node id
// returns: rows {id: str, labels: list[str]}
MATCH (:Entity {id: $a})--(m:Entity)--(:Entity {id: $b})
RETURN DISTINCT m.id AS id, labels(m) AS labels
