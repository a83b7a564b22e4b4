// The dated relationships touching a set of entities from which the caller cuts one page, oldest
// first. A relationship's time is its `at` (events), else its `from`, else its `to` validity date;
// undated ones are not on a timeline. Times are UTC ISO 8601 text (partial dates allowed),
// compared as text. Paged on (time, the relationship id the reader is shown): the caller orders
// events of one time by that id (graphapi.investigate.timeline), so this returns every event at
// the cursor's time, then `limit` later ones and the rest of the time the cut falls in. Ordered
// by the stored id here, a page told where a relationship touching a victim sorts among visible
// ones, i.e. narrowed the hash of the victim's id.
// mode: read
// param $ids: list[str] - entity ids
// param $types: list[str]|null - relationship types, null = all
// param $excluded: list[str] - relationship types left out, [] = none (excludeRelationshipTypes)
// param $since: str|null - lower bound on the time, inclusive
// param $until: str|null - upper bound on the time, inclusive
// param $afterTime: str|null - cursor time: only events at or after it
// param $limit: int - events after afterTime at least (page size + 1), ties at the cut included
// param $agency: str|null - viewer's agency (visibility of the entity, relationship and far end)
// returns: time, rel {id, type, start, end, properties}
UNWIND $ids AS nid
MATCH (a:Entity {id: nid})
WHERE {{visible(a)}}
WITH a
MATCH (a)-[r]-(b:Entity)
WHERE ($types IS NULL OR type(r) IN $types)
  AND NOT type(r) IN $excluded
  AND coalesce(r.at, r.from, r.to) IS NOT NULL
  AND {{visible(r)}}
  AND {{visible(b)}}
// A relationship between two of the entities is one event, not two.
WITH DISTINCT r, coalesce(r.at, r.from, r.to) AS time
WHERE ($since IS NULL OR time >= $since)
  AND ($until IS NULL OR time <= $until)
  AND ($afterTime IS NULL OR time >= $afterTime)
WITH r, time
ORDER BY time
WITH collect([time, r]) AS events
WITH [e IN events WHERE e[0] = $afterTime] AS atCursor,
     [e IN events WHERE $afterTime IS NULL OR e[0] > $afterTime] AS later
WITH atCursor, later, later[$limit - 1][0] AS cutTime
UNWIND atCursor + later[..$limit] + [e IN later[$limit..] WHERE e[0] = cutTime] AS e
WITH e[0] AS time, e[1] AS r
RETURN time, {id: r.id, type: type(r), start: startNode(r).id, end: endNode(r).id, properties: properties(r)} AS rel
