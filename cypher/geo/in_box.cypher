// Visible nodes of one label positioned in a latitude/longitude box, by id (within). The box never
// crosses the antimeridian: the caller splits one that would.
// mode: read
// placeholder label: label
// param $south: float - degrees, inclusive
// param $north: float - degrees, inclusive
// param $west: float - degrees, inclusive
// param $east: float - degrees, inclusive
// param $limit: int - at most this many nodes (the caller detects truncation with limit + 1)
// param $agency: str|null - viewer's agency (visibility)
// returns: node {id, labels, properties}
MATCH (n:{{label}})
WHERE n.lat >= $south
  AND n.lat <= $north
  AND n.lon >= $west
  AND n.lon <= $east
  AND {{visible(n)}}
RETURN {id: n.id, labels: labels(n), properties: properties(n)} AS node
ORDER BY node.id
LIMIT $limit
