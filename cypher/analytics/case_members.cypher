// The people and organisations involved in a case (INVOLVED_IN), as the reader sees them: the
// case, each member and each link visible to the reader; a member only another agency's hidden
// link ties to the case is not one for this reader (sharedIdentifiers(caseId)).
// mode: read
// param $case: str - the Case node's Lintas id
// param $limit: int - members returned at most (one more than the caller takes, to tell too many)
// param $agency: str|null - viewer's agency (visibility)
// returns: one row {id} per visible member, in id order; no row when the case is unknown, hidden
//   or has no visible member
MATCH (c:Entity {id: $case})
  // by Entity.id (the index; Case.id has none, which scanned every Case), then the label
WHERE c:Case AND {{visible(c)}}
MATCH (m:Entity)-[r:INVOLVED_IN]->(c)
WHERE {{visible(m)}} AND {{visible(r)}}
WITH DISTINCT m.id AS id
RETURN id
ORDER BY id
LIMIT $limit
