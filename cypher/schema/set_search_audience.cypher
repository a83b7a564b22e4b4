// Derives searchAudience for entities stored before the field existed (init_schema, once the
// full-text index holds it), a batch at a time: a search finds an entity by it. Only a missing one:
// a value stored from a node's old levels is derived again by schema/repair_search_audience.
// mode: write
// param $limit: int - at most this many per call
// returns: n (entities set; 0 when none is left)
MATCH (n:Entity)
WHERE n.searchAudience IS NULL
WITH n LIMIT $limit
SET n.searchAudience = {{search_audience(n)}}
RETURN count(n) AS n
