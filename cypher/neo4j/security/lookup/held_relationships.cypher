// Neo4j's security/lookup/held_relationships (same parameters, placeholders and result; keep the two
// in step) with USING INDEX SEEK on the id (see cypher/neo4j/ingest/add_relationships).
// mode: read
// param $ids: list[str] - relationship ids of the records of a load
// param $agency: str|null - the loading agency (visibility)
// placeholder type: relationship
// returns: id, props {owner, tlp, sharedWith, heldApart, unresolved}: what the take-over decision reads
MATCH ()-[r:{{type}}]->()
USING INDEX SEEK r:{{type}}(id)
WHERE r.id IN $ids
WITH r, startNode(r) AS a, endNode(r) AS b
WHERE r.heldApart IS NOT NULL AND NOT coalesce({{visible(r)}}, false)
  AND coalesce({{visible(a)}} AND {{visible(b)}}, false)
RETURN r.id AS id,
  {owner: r.owner, tlp: r.tlp, sharedWith: r.sharedWith, heldApart: r.heldApart, unresolved: r.unresolved} AS props
