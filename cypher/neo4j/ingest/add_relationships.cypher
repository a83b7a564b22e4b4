// Neo4j's ingest/add_relationships (same parameters, placeholders and result; keep the two in
// step): MERGE rather than CREATE, because Neo4j runs loads' transactions side by side and MERGE
// locks both endpoints and the id (LockingMerge on the type's uniqueness constraint,
// neo4j/schema/relationship_id_unique). The stored relationship is sought first by its id alone
// (the constraint's unique index) and its endpoints read from it; the endpoints are sought only
// for one not stored yet (a CASE: a seek of null finds nothing), so a reload seeks one index
// instead of three. USING INDEX SEEK: with the index's statistics stale (created empty, then a
// load) the planner scanned the whole index for each row instead of seeking it.
// mode: write
// param $rows: list[{id: str, start: str, end: str, props: map, lean: bool|null, digest: str|null}] - as the shared statement
// param $agency: str|null - as the shared statement
// placeholder type: relationship
// returns: one row {same, exceptions}, as the shared statement
UNWIND $rows AS row
OPTIONAL MATCH ()-[stored:{{type}} {id: row.id}]->()
USING INDEX SEEK stored:{{type}}(id)
WITH row, stored
OPTIONAL MATCH (na:Entity {id: CASE WHEN stored IS NULL THEN row.start END})
USING INDEX SEEK na:Entity(id)
OPTIONAL MATCH (nb:Entity {id: CASE WHEN stored IS NULL THEN row.end END})
USING INDEX SEEK nb:Entity(id)
WITH row, stored,
  CASE WHEN stored IS NULL THEN na ELSE startNode(stored) END AS a,
  CASE WHEN stored IS NULL THEN nb ELSE endNode(stored) END AS b
WITH row, stored, a, b, coalesce(a IS NOT NULL AND b IS NOT NULL AND a.id = row.start AND b.id = row.end
  AND ($agency IS NULL OR ({{visible(a)}} AND {{visible(b)}})), false) AS linked
WITH row, a, b, linked, CASE WHEN linked THEN stored END AS old
FOREACH (_ IN CASE WHEN linked AND old IS NULL THEN [1] ELSE [] END |
  MERGE (a)-[r:{{type}} {id: row.id}]->(b)
  SET r += row.props
  SET r += CASE WHEN row.digest IS NULL THEN {} ELSE {digest: row.digest} END
)
WITH row, old, linked,
  coalesce(old IS NOT NULL AND coalesce(row.lean, false) AND old.heldApart IS NULL AND old.shares IS NULL
    AND all(k IN keys(row.props) WHERE old[k] = row.props[k]), false) AS same
// a reload's rows are all same: their ids alone come back, not a map each (issue 14: decoding
// one map per row was a tenth of a reload's client CPU)
RETURN collect(CASE WHEN same THEN row.id END) AS same,
  collect(CASE WHEN NOT same AND (NOT linked OR old IS NOT NULL)
    THEN {id: row.id, linked: linked, props: properties(old)} END) AS exceptions
