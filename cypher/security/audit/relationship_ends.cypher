// The ends of the given relationships of one type that the viewer may see (with both ends):
// audit entries shown to an auditor without victim-data show a relationship touching a victim by
// its token (graphapi/security/trail.py). Sought through the type's index on id, as
// hidden_relationships.
// mode: read
// param $ids: list[str] - relationship ids named in audit entries
// param $agency: str|null - the reader's agency (visibility)
// placeholder type: relationship
// returns: id, start, end (the ends' ids)
MATCH ()-[r:{{type}}]->()
WHERE r.id IN $ids
WITH r, startNode(r) AS a, endNode(r) AS b
WHERE {{visible(r)}} AND {{visible(a)}} AND {{visible(b)}}
RETURN r.id AS id, a.id AS start, b.id AS end
