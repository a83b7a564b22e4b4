// Neo4j's security/audit/relationship_ends (same parameters, placeholders and result; keep the two in
// step) with USING INDEX SEEK on the id (see cypher/neo4j/ingest/add_relationships).
// mode: read
// param $ids: list[str] - relationship ids named in audit entries
// param $agency: str|null - the reader's agency (visibility)
// placeholder type: relationship
// returns: id, start, end (the ends' ids)
MATCH ()-[r:{{type}}]->()
USING INDEX SEEK r:{{type}}(id)
WHERE r.id IN $ids
WITH r, startNode(r) AS a, endNode(r) AS b
WHERE {{visible(r)}} AND {{visible(a)}} AND {{visible(b)}}
RETURN r.id AS id, a.id AS start, b.id AS end
