// MERGE a batch of relationships of one type by id between existing endpoint nodes: the stored
// one is sought by id through the type's relationship index and updated, or created when there is
// none (FalkorDB plans MERGE as an expand between the endpoints, quadratic in the transfers between
// two accounts; one write query at a time there, so nothing comes between seek and CREATE. Neo4j
// runs its own, cypher/neo4j/ingest/: MERGE, which locks).
// mode: write
// param $rows: list[{id: str, start: str, end: str, props: map}] - props already merged
// placeholder type: relationship
// returns: one row {id} per relationship written; rows whose endpoints are missing are absent
UNWIND $rows AS row
MATCH (a:Entity {id: row.start})
MATCH (b:Entity {id: row.end})
OPTIONAL MATCH ()-[old:{{type}} {id: row.id}]->()
WHERE startNode(old) = a AND endNode(old) = b
FOREACH (r IN CASE WHEN old IS NULL THEN [] ELSE [old] END | SET r += row.props REMOVE r.digest)
FOREACH (_ IN CASE WHEN old IS NULL THEN [1] ELSE [] END |
  CREATE (a)-[r:{{type}} {id: row.id}]->(b)
  SET r += row.props
  REMOVE r.digest
)
RETURN row.id AS id
