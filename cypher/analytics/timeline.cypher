// One page of the dated relationships touching a set of entities, oldest first, then by id
// (keyset paging on (time, id): stable while data is added). A relationship's time is its `at`
// (events), else its `from`, else its `to` validity date; undated ones are not on a timeline.
// Times are UTC ISO 8601 text (partial dates allowed), compared as text.
// mode: read
// param $ids: list[str] - entity ids
// param $types: list[str]|null - relationship types, null = all
// param $since: str|null - lower bound on the time, inclusive
// param $until: str|null - upper bound on the time, inclusive
// param $afterTime: str|null - cursor time: only (time, id) after (afterTime, afterId)
// param $afterId: str|null - cursor relationship id
// param $limit: int - page size + 1 (the caller tells has-next by the extra row)
// param $agency: str|null - viewer's agency (visibility of the entity, relationship and far end)
// returns: time, rel {id, type, start, end, properties}
UNWIND $ids AS nid
MATCH (a:Entity {id: nid})
WHERE {{visible(a)}}
WITH a
MATCH (a)-[r]-(b:Entity)
WHERE ($types IS NULL OR type(r) IN $types)
  AND coalesce(r.at, r.from, r.to) IS NOT NULL
  AND {{visible(r)}}
  AND {{visible(b)}}
// A relationship between two of the entities is one event, not two.
WITH DISTINCT r, coalesce(r.at, r.from, r.to) AS time
WHERE ($since IS NULL OR time >= $since)
  AND ($until IS NULL OR time <= $until)
  AND ($afterTime IS NULL OR time > $afterTime OR (time = $afterTime AND r.id > $afterId))
RETURN time, {id: r.id, type: type(r), start: startNode(r).id, end: endNode(r).id, properties: properties(r)} AS rel
ORDER BY time, rel.id
LIMIT $limit
