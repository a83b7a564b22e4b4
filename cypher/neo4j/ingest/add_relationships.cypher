// Neo4j's ingest/add_relationships (same parameters, placeholders and result; keep the two in
// step). The stored relationship is sought first by its id alone (the constraint's unique index,
// neo4j/schema/relationship_id_unique) and its endpoints read from it; the endpoints are sought
// only for one not stored yet (a CASE: a seek of null finds nothing), so a reload seeks one index
// instead of three. USING INDEX SEEK: with the index's statistics stale (created empty, then a
// load) the planner scanned the whole index for each row instead of seeking it.
// A new one is CREATEd, not MERGEd, though Neo4j runs loads' transactions side by side: in a
// writing query that first seek is a locking one (DirectedRelationshipUniqueIndexSeek(Locking)),
// and on a miss it holds the id's index entry locked until the transaction ends, so no other
// transaction can store that id in between (its own seek waits, then finds ours; a bare CREATE
// of it would fail on the constraint). A MERGE there (LockingMerge) sought the id a second time,
// locked both endpoints and was then followed by an Eager between each of its SETs: 2.1x the
// server time of the CREATE, ~2.5x a bare CREATE of the same rows (tests/store/test_add_relationships_plan.py).
// What comes back (same, the stored properties) is read before the writes, from the stored
// relationship a row never writes, so the planner puts no Eager after them.
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
WITH row, a, b, linked, old,
  coalesce(old IS NOT NULL AND coalesce(row.lean, false) AND old.heldApart IS NULL AND old.shares IS NULL
    AND all(k IN keys(row.props) WHERE old[k] = row.props[k]), false) AS same
WITH row, a, b, linked AND old IS NULL AS fresh, same,
  CASE WHEN NOT same AND (NOT linked OR old IS NOT NULL) THEN {id: row.id, linked: linked, props: properties(old)} END
    AS exception
// a new relationship: nothing to keep, so its digest is set with its properties (null sets nothing)
FOREACH (_ IN CASE WHEN fresh THEN [1] ELSE [] END |
  CREATE (a)-[r:{{type}} {id: row.id}]->(b)
  SET r += row.props, r.digest = row.digest
)
// a reload's rows are all same: their ids alone come back, not a map each (issue 14: decoding
// one map per row was a tenth of a reload's client CPU)
RETURN collect(CASE WHEN same THEN row.id END) AS same, collect(exception) AS exceptions
