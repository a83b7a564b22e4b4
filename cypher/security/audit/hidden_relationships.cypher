// Which of the given relationship ids of one type are stored but hidden from the viewer: the
// relationship or one of its ends fails the TLP rule. Audit entries shown to an auditor mask them
// (graphapi/security/trail.py); node ids go through security/lookup/restricted_by_ids. Sought
// through the type's index on id (the caller groups the ids by the type their prefix names).
// mode: read
// param $ids: list[str] - relationship ids named in audit entries
// param $agency: str|null - the reader's agency (visibility)
// placeholder type: relationship
// returns: id
MATCH ()-[r:{{type}}]->()
WHERE r.id IN $ids
WITH r, startNode(r) AS a, endNode(r) AS b
WHERE NOT coalesce({{visible(r)}} AND {{visible(a)}} AND {{visible(b)}}, false)
  // held apart (graphapi/ingest/relevel.py): an id nobody loaded to all but its audience, not
  // masked (attack round 30b, M1), as security/lookup/restricted_by_ids answers no held node
  AND r.heldApart IS NULL
RETURN r.id AS id
