// One breadth-first step of a path search: for each visible relationship of a set of nodes whose
// far end is visible (and not avoided), the ids of the near end, the relationship and the far end,
// and whether it points away from the near end (ids only: the relationships and nodes of the
// paths found are fetched once, at the end).
// mode: read
// param $ids: list[str] - frontier node ids (hidden ones have no neighbours)
// param $types: list[str]|null - relationship types to follow, null = all
// param $excluded: list[str] - relationship types never followed, [] = none (excludeRelationshipTypes)
// param $direction: str - OUT, IN or BOTH: which relationships to follow, seen from the frontier node
// param $avoid: list[str] - node ids never stepped onto
// param $since: str|null - ISO 8601 lower bound on a relationship's date, inclusive (undated pass)
// param $until: str|null - ISO 8601 upper bound on a relationship's date, inclusive (undated pass)
// param $limit: int - at most this many rows
// param $agency: str|null - viewer's agency (visibility of frontier node, relationship and far end)
// returns: source id, rel id, outgoing (bool), neighbour id
UNWIND $ids AS nid
// Seek, then traverse (see expand/frontier).
MATCH (a:Entity {id: nid})
// a hidden end steps nowhere: the caller checks the ends only when no path is found
WHERE {{visible(a)}}
WITH a
MATCH (a)-[r]-(b:Entity)
WHERE ($types IS NULL OR type(r) IN $types)
  AND NOT type(r) IN $excluded
  AND ($direction = 'BOTH' OR ($direction = 'OUT' AND startNode(r) = a) OR ($direction = 'IN' AND endNode(r) = a))
  AND NOT b.id IN $avoid
  AND ($since IS NULL OR coalesce(r.at, r.to, r.from) IS NULL OR coalesce(r.at, r.to, r.from) >= $since)
  AND ($until IS NULL OR coalesce(r.at, r.from, r.to) IS NULL OR coalesce(r.at, r.from, r.to) <= $until)
  AND {{visible(r)}}
  AND {{visible(b)}}
RETURN a.id AS source, r.id AS rel, startNode(r) = a AS outgoing, b.id AS neighbour
LIMIT $limit
