// The distinct names, aliases and passport / id numbers of every victim the viewer may see (the
// victim rule of security/protected_ids), as one list, for redacting free text that names them
// (graphapi/security/victim_names.py). Victims hidden from the viewer are not read: hidden data
// never changes what the viewer sees. One row: the wire cost is per row, not per name.
// mode: read
// param $agency: str|null - viewer's agency (visibility)
// returns: names
MATCH (p:Person)-[r:INVOLVED_IN|HELD_AT]->(c)
WHERE {{visible(p)}} AND {{victim_mark(r)}}
WITH DISTINCT p
UNWIND [p.name] + coalesce(p.alias, []) + coalesce(p.passportNumber, []) + coalesce(p.idNumber, []) AS name
WITH name WHERE name IS NOT NULL
RETURN collect(DISTINCT name) AS names
