// A page of visible relationships for each of several nodes (Relay connection, keyset paging).
// Rows come back one per input id, in any order; relationships ordered by id so that cursors
// stay valid while data is added. Events are dated by `at`; facts by their `from`/`to` validity.
// mode: read
// param $ids: list[str] - node ids (one page each)
// param $types: list[str]|null - relationship types, null = all
// param $direction: str - OUT, IN or BOTH, seen from the node
// param $since: str|null - ISO 8601 lower bound on the relationship's date, inclusive
// param $until: str|null - ISO 8601 upper bound on the relationship's date, inclusive
// param $after: str|null - cursor: only relationships with id greater than this
// param $first: int - page size; the statement returns up to first + 1 to tell has-next
// param $agency: str|null - viewer's agency (visibility of relationship and far end)
// returns: id, total (visible matches before paging), rows [{rel, node}]
UNWIND $ids AS nid
MATCH (a:Entity {id: nid})
WHERE {{visible(a)}}
OPTIONAL MATCH (a)-[r]-(b:Entity)
WHERE ($types IS NULL OR type(r) IN $types)
  AND ($direction = 'BOTH' OR ($direction = 'OUT' AND startNode(r) = a) OR ($direction = 'IN' AND endNode(r) = a))
  AND ($since IS NULL OR coalesce(r.at, r.to, r.from) IS NULL OR coalesce(r.at, r.to, r.from) >= $since)
  AND ($until IS NULL OR coalesce(r.at, r.from, r.to) IS NULL OR coalesce(r.at, r.from, r.to) <= $until)
  AND {{visible(r)}}
  AND {{visible(b)}}
WITH a, r, b
ORDER BY r.id
WITH a, [x IN collect(CASE WHEN r IS NULL THEN NULL ELSE {
    rel: {id: r.id, type: type(r), start: startNode(r).id, end: endNode(r).id, properties: properties(r)},
    node: {id: b.id, labels: labels(b), properties: properties(b)}} END) WHERE x IS NOT NULL] AS found
WITH a, size(found) AS total, [x IN found WHERE $after IS NULL OR x.rel.id > $after] AS rest
RETURN a.id AS id, total, rest[..$first + 1] AS rows
