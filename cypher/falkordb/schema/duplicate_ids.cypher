// A few Entity ids held by more than one node: why the unique constraint on Entity.id failed
// (init_schema names them at start-up instead of making the constraint again, attack round 30a L1).
// mode: read
// returns: id, nodes
MATCH (n:Entity)
WITH n.id AS id, count(*) AS nodes
WHERE nodes > 1
RETURN id, nodes
ORDER BY id
LIMIT 10
