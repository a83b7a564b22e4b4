// Visible nodes of one label positioned in a latitude/longitude box, by id (within), but a victim's
// home. The box never crosses the antimeridian: the caller splits one that would.
// mode: read
// placeholder label: label
// param $south: float - degrees, inclusive
// param $north: float - degrees, inclusive
// param $west: float - degrees, inclusive
// param $east: float - degrees, inclusive
// param $limit: int - at most this many nodes (the caller detects truncation with limit + 1)
// param $agency: str|null - viewer's agency (visibility)
// param $victimData: bool - the viewer holds victim-data (else a victim's home is left out)
// returns: node {id, labels, properties}
MATCH (n:{{label}})
WHERE n.lat >= $south
  AND n.lat <= $north
  AND n.lon >= $west
  AND n.lon <= $east
  AND {{visible(n)}}
// A victim's home (an address a victim is LOCATED_AT, by the rules of protected_ids) is left out
// for a reader without victim-data: its position, or its distance from a guessed point, would
// locate the victim (attack round 3, G1). Only rules of what the reader may see decide it.
OPTIONAL MATCH (user:Person)-[link:LOCATED_AT]->(n)
WHERE NOT $victimData AND {{identifier_link(link)}}
WITH n, CASE WHEN user IS NULL THEN 0 ELSE size([(user)-[r:INVOLVED_IN|HELD_AT]->(c)
       WHERE {{victim_mark(r)}} | 1]) END AS marks
WITH n, sum(marks) AS marks
WHERE marks = 0
RETURN {id: n.id, labels: labels(n), properties: properties(n)} AS node
ORDER BY node.id
LIMIT $limit
