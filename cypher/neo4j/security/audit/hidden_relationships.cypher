// Neo4j's security/audit/hidden_relationships (same parameters, placeholders and result; keep the two in
// step) with USING INDEX SEEK on the id (see cypher/neo4j/ingest/add_relationships).
// mode: read
// param $ids: list[str] - relationship ids named in audit entries
// param $agency: str|null - the reader's agency (visibility)
// placeholder type: relationship
// returns: id
MATCH ()-[r:{{type}}]->()
USING INDEX SEEK r:{{type}}(id)
WHERE r.id IN $ids
WITH r, startNode(r) AS a, endNode(r) AS b
WHERE NOT coalesce({{visible(r)}} AND {{visible(a)}} AND {{visible(b)}}, false)
  // held apart (graphapi/ingest/relevel.py): an id nobody loaded to all but its audience, not
  // masked (attack round 30b, M1), as security/lookup/restricted_by_ids answers no held node
  AND r.heldApart IS NULL
RETURN r.id AS id
