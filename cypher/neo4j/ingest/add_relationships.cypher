// Neo4j's ingest/add_relationships (same parameters, placeholders and result; keep the two in
// step): MERGE rather than CREATE, because Neo4j runs loads' transactions side by side and MERGE
// locks both endpoints and the id (LockingMerge on the type's uniqueness constraint,
// neo4j/schema/relationship_id_unique). USING INDEX SEEK: with the index's statistics stale (created
// empty, then a load) the planner scanned the whole index for each row instead of seeking it.
// mode: write
// param $rows: list[{id: str, start: str, end: str, props: map, lean: bool|null}] - as the shared statement
// param $agency: str|null - as the shared statement
// placeholder type: relationship
// returns: one row {exceptions}, as the shared statement
UNWIND $rows AS row
OPTIONAL MATCH (a:Entity {id: row.start})
WHERE $agency IS NULL OR {{visible(a)}}
OPTIONAL MATCH (b:Entity {id: row.end})
WHERE $agency IS NULL OR {{visible(b)}}
OPTIONAL MATCH (a)-[old:{{type}} {id: row.id}]->(b)
USING INDEX SEEK old:{{type}}(id)
WITH a, b, row, old, a IS NOT NULL AND b IS NOT NULL AS linked
FOREACH (_ IN CASE WHEN linked AND old IS NULL THEN [1] ELSE [] END |
  MERGE (a)-[r:{{type}} {id: row.id}]->(b)
  SET r += row.props
)
WITH row, old, linked,
  old IS NOT NULL AND coalesce(row.lean, false) AND old.heldApart IS NULL
  AND all(k IN keys(row.props) WHERE old[k] = row.props[k]) AS same
RETURN collect(CASE WHEN NOT linked OR old IS NOT NULL
  THEN {id: row.id, linked: linked, same: same, props: CASE WHEN same THEN null ELSE properties(old) END} END)
  AS exceptions
