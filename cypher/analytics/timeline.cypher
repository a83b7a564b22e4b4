// The dated events of the relationships touching a set of entities from which the caller cuts one
// page, oldest first. A relationship's own event is its `at` (events), else its `from`, else its
// `to` validity date; each other dated property of its type ($dated: INVOLVED_IN's rescued and
// repatriated, SANCTIONED's listed) with a value is an event of its own, its kind the property's
// name. Undated relationships are not on a timeline. Times are UTC ISO 8601 text (partial dates
// allowed), compared as text. Paged on (time, the relationship id the reader is shown, kind): the
// caller orders events of one time by that id (graphapi.investigate.timeline), so this returns
// every event at the cursor's time, then `limit` later ones and the rest of the time the cut falls
// in (earlier ones when $backward), and the count of every event of the filters (the first page
// read them all already). Ordered by the stored id here, a page told where a relationship touching
// a victim sorts among visible ones, i.e. narrowed the hash of the victim's id.
// mode: read
// param $ids: list[str] - entity ids
// param $types: list[str]|null - relationship types, null = all
// param $excluded: list[str] - relationship types left out, [] = none (excludeRelationshipTypes)
// param $dated: list[list[str]] - [type, property] of each dated property besides at/from/to (the ontology's)
// param $since: str|null - lower bound on the time, inclusive
// param $until: str|null - upper bound on the time, inclusive
// param $cursorTime: str|null - cursor time: only events at or after it (at or before it when $backward)
// param $backward: bool - page backward (Relay last/before): events before the cursor, newest first
// param $limit: int - events past cursorTime at least (page size + 1), ties at the cut included
// param $agency: str|null - viewer's agency (visibility of the entity, relationship and far end)
// returns: one row: total (every visible event of the filters, all pages), events [{time, kind (the
//   property that dates the event), rel {id, type, start, end, properties}}]
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
WITH r, kind, time
ORDER BY time
WITH collect([time, r, kind]) AS events
// backward, every comparison is mirrored: "later" is earlier, newest first
WITH size(events) AS total, CASE WHEN $backward THEN reverse(events) ELSE events END AS ordered
WITH total, [e IN ordered WHERE e[0] = $cursorTime] AS atCursor,
     [e IN ordered WHERE $cursorTime IS NULL OR (NOT $backward AND e[0] > $cursorTime)
                         OR ($backward AND e[0] < $cursorTime)] AS later
WITH total, atCursor, later, later[$limit - 1][0] AS cutTime
WITH total, atCursor + later[..$limit] + [e IN later[$limit..] WHERE e[0] = cutTime] AS page
RETURN total, [e IN page | {time: e[0], kind: e[2], rel: {id: e[1].id, type: type(e[1]), start: startNode(e[1]).id,
                                                          end: endNode(e[1]).id, properties: properties(e[1])}}] AS events
