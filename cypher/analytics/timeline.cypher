// The dated events of the relationships touching a set of entities from which the caller cuts one
// page, oldest first. A relationship's own event is its `at` (events), else its `from`, else its
// `to` validity date; each other dated property of its type ($dated: INVOLVED_IN's rescued and
// repatriated, SANCTIONED's listed) with a value is an event of its own, its kind the property's
// name. Undated relationships are not on a timeline. Times are UTC ISO 8601 text (partial dates
// allowed), compared as text. Paged on (time, the relationship id the reader is shown, kind): the
// caller orders events of one time by that id (graphapi.investigate.timeline), so this returns
// every event at the cursor's time, then `limit` later ones and the rest of the time the cut falls
// in. Ordered by the stored id here, a page told where a relationship touching a victim sorts
// among visible ones, i.e. narrowed the hash of the victim's id.
// mode: read
// param $ids: list[str] - entity ids
// param $types: list[str]|null - relationship types, null = all
// param $excluded: list[str] - relationship types left out, [] = none (excludeRelationshipTypes)
// param $dated: list[list[str]] - [type, property] of each dated property besides at/from/to (the ontology's)
// param $since: str|null - lower bound on the time, inclusive
// param $until: str|null - upper bound on the time, inclusive
// param $afterTime: str|null - cursor time: only events at or after it
// param $limit: int - events after afterTime at least (page size + 1), ties at the cut included
// param $agency: str|null - viewer's agency (visibility of the entity, relationship and far end)
// returns: time, kind (the property that dates the event), rel {id, type, start, end, properties}
UNWIND $ids AS nid
MATCH (a:Entity {id: nid})
WHERE {{visible(a)}}
WITH a
MATCH (a)-[r]-(b:Entity)
WHERE ($types IS NULL OR type(r) IN $types)
  AND NOT type(r) IN $excluded
  AND {{visible(r)}}
  AND {{visible(b)}}
// A relationship between two of the entities is one event, not two.
WITH DISTINCT r
WITH r, CASE WHEN r.at IS NOT NULL THEN ['at', r.at] WHEN r.from IS NOT NULL THEN ['from', r.from]
            WHEN r.to IS NOT NULL THEN ['to', r.to] END AS own,
     [d IN $dated WHERE d[0] = type(r) AND properties(r)[d[1]] IS NOT NULL | [d[1], properties(r)[d[1]]]] AS others
UNWIND CASE WHEN own IS NULL THEN others ELSE [own] + others END AS dated
WITH r, dated[0] AS kind, dated[1] AS time
WHERE ($since IS NULL OR time >= $since)
  AND ($until IS NULL OR time <= $until)
  AND ($afterTime IS NULL OR time >= $afterTime)
WITH r, kind, time
ORDER BY time
WITH collect([time, r, kind]) AS events
WITH [e IN events WHERE e[0] = $afterTime] AS atCursor,
     [e IN events WHERE $afterTime IS NULL OR e[0] > $afterTime] AS later
WITH atCursor, later, later[$limit - 1][0] AS cutTime
UNWIND atCursor + later[..$limit] + [e IN later[$limit..] WHERE e[0] = cutTime] AS e
WITH e[0] AS time, e[1] AS r, e[2] AS kind
RETURN time, kind, {id: r.id, type: type(r), start: startNode(r).id, end: endNode(r).id, properties: properties(r)} AS rel
