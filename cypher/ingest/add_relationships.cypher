// Write a batch of relationships of one type that the loader has not seen this run, in one round
// trip: new ones are created with their properties; stored ones are left as they are and
// returned, for the loader's provenance merge (written with ingest/merge_relationships if that
// changes anything). Only exceptions come back, so a batch of new relationships returns nothing
// (and a batch said again only its ids).
// The stored one is sought by id through the type's relationship index (init_schema), never by
// expanding between the endpoints (FalkorDB plans `(a)-[old {id}]->(b)` and MERGE so): with
// thousands of transfers between two accounts a 2,000-row batch took 46 s. A new one is CREATEd:
// FalkorDB runs one write query at a time, so nothing comes between the seek and the CREATE
// (Neo4j runs its own, cypher/neo4j/ingest/: MERGE, which locks). Ids name their endpoints
// (Model.relationship_id); the endpoint test keeps one between other nodes from counting. The
// stored one is sought first and its endpoints read from it: the endpoints are sought by id only
// for a relationship not stored yet (a reload, the same file again, seeks one index, not three;
// the WHERE sits under each seek, which FalkorDB then skips). An endpoint the agency may not see
// counts as missing either way.
// mode: write
// param $rows: list[{id: str, start: str, end: str, props: map, lean: bool|null, digest: str|null}] - props of a new
//   relationship; lean: a stored one that already holds each of these values comes back without
//   its properties (same true: the record changes nothing, the stored one is not held apart and keeps no share, graphapi/security/kept_shares.py; list properties sent as lists). Ids
//   are distinct within a batch (the writer keys them by id).
//   digest: a lean row's (write_edges.edge_digest), kept by the one created: a reload of the same
//   record finds it alike with ingest/relationship_digests; every other write of it clears it
// param $agency: str|null - the agency the load runs for: an endpoint it may not see counts as
//   missing (null: an operator's own load, every endpoint counts)
// placeholder type: relationship
// returns: one row {same, exceptions}: same, the ids of the lean rows whose relationship is stored
//   with all their values already (nothing written); exceptions, a list of {id, linked, props},
//   one per other row that was not created: linked false when an endpoint is missing (nothing
//   written, props null), else props are the stored properties. (One collected row, not a
//   filtered stream: FalkorDB 4.16 moved a WHERE on these rows ahead of the FOREACH, which then
//   wrote nothing.)
UNWIND $rows AS row
OPTIONAL MATCH ()-[stored:{{type}} {id: row.id}]->()
WITH row, stored
OPTIONAL MATCH (na:Entity {id: row.start})
WHERE stored IS NULL
OPTIONAL MATCH (nb:Entity {id: row.end})
WHERE stored IS NULL
WITH row, stored,
  CASE WHEN stored IS NULL THEN na ELSE startNode(stored) END AS a,
  CASE WHEN stored IS NULL THEN nb ELSE endNode(stored) END AS b
WITH row, stored, a, b, coalesce(a IS NOT NULL AND b IS NOT NULL AND a.id = row.start AND b.id = row.end
  AND ($agency IS NULL OR ({{visible(a)}} AND {{visible(b)}})), false) AS linked
WITH row, a, b, linked, CASE WHEN linked THEN stored END AS old
FOREACH (_ IN CASE WHEN linked AND old IS NULL THEN [1] ELSE [] END |
  CREATE (a)-[r:{{type}} {id: row.id}]->(b)
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
