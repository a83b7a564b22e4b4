// Visible nodes of one label positioned in a latitude/longitude box, nearest first by a flat
// approximation (nearby: the caller measures each on the sphere and keeps those in the radius).
// The box never crosses the antimeridian: the caller splits one that would.
// mode: read
// placeholder label: label
// param $south: float - degrees, inclusive
// param $north: float - degrees, inclusive
// param $west: float - degrees, inclusive
// param $east: float - degrees, inclusive
// param $lat: float - the centre's latitude, degrees (the pre-order)
// param $lon: float - the centre's longitude, degrees
// param $lonScale: float - cos(latitude): a degree of longitude in degrees of latitude there
// param $limit: int - at most this many nodes (the caller detects truncation with limit + 1)
// param $agency: str|null - viewer's agency (visibility)
// returns: node {id, labels, properties}
MATCH (n:{{label}})
WHERE n.lat >= $south
  AND n.lat <= $north
  AND n.lon >= $west
  AND n.lon <= $east
  AND {{visible(n)}}
WITH n, (n.lat - $lat) * (n.lat - $lat) + (n.lon - $lon) * (n.lon - $lon) * $lonScale * $lonScale AS flat
RETURN {id: n.id, labels: labels(n), properties: properties(n)} AS node
ORDER BY flat, node.id
LIMIT $limit
