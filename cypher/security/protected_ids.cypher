// Which of the given visible entities carry a victim's identity: a Person who is a victim
// (INVOLVED_IN {role: 'victim'} or HELD_AT {role: 'trafficked'}), or a Phone such a person uses.
// The victim test reads ALL of the person's relationships, hidden ones too: a victim recorded
// only in another agency's RED case is still protected (fail safe).
// FalkorDB trap: a pattern comprehension inside a list comprehension's WHERE is always true
// there (measured), so each person is its own row here.
// mode: read
// param $ids: list[str] - Lintas node ids (already shown to the viewer)
// param $agency: str|null - viewer's agency (only visible entities are answered for)
// returns: id
UNWIND $ids AS nid
MATCH (n:Entity {id: nid})
WHERE {{visible(n)}} AND (n:Person OR n:Phone)
OPTIONAL MATCH (user:Person)-[:USES_PHONE]->(n)
WITH n, CASE WHEN n:Person THEN n ELSE user END AS p
WHERE p IS NOT NULL
WITH n, size([(p)-[r:INVOLVED_IN]->() WHERE r.role = 'victim' | 1])
      + size([(p)-[h:HELD_AT]->() WHERE h.role = 'trafficked' | 1]) AS marks
WHERE marks > 0
RETURN DISTINCT n.id AS id
