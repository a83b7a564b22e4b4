// Relationships joining two nodes directly, in either direction.
// mode: read
// param $a: str - Lintas node id
// param $b: str - Lintas node id
// returns: rows {type: str, id: str}
MATCH (:Entity {id: $a})-[r]-(:Entity {id: $b})
RETURN type(r) AS type, r.id AS id
