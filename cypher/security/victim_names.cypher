// The names, aliases and document numbers of every victim the viewer may see (the victim rule of
// security/protected_ids), for redacting free text that names them (graphapi/security/victim_names.py).
// Victims hidden from the viewer are not read: hidden data never changes what the viewer sees.
// mode: read
// param $agency: str|null - viewer's agency (visibility)
// returns: name, alias, passportNumber, idNumber
MATCH (p:Person)-[r:INVOLVED_IN|HELD_AT]->(c)
WHERE {{visible(p)}} AND {{victim_mark(r)}} AND (r.owner = p.owner OR ({{visible(r)}} AND {{visible(c)}}))
WITH DISTINCT p
RETURN p.name AS name, p.alias AS alias, p.passportNumber AS passportNumber, p.idNumber AS idNumber
