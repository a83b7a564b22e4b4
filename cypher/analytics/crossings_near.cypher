// Other people's visible crossings of a checkpoint in a direction within a time window, for each
// occasion asked (co-travel). Times are UTC ISO 8601 text, compared as text.
// mode: read
// param $occasions: list[map] - [{key: int, checkpoint: str, direction: str|null, low: str, high: str}]
// param $personId: str - the subject, whose own crossings are not co-travel
// param $limit: int - at most this many rows (the caller detects truncation with limit + 1)
// param $agency: str|null - viewer's agency (visibility of crossing and traveller)
// returns: key, crossing {id, start, end}, traveller id
UNWIND $occasions AS o
MATCH (cp:Entity {id: o.checkpoint})
WITH cp, o
MATCH (q:Person)-[c:CROSSED]->(cp)
WHERE q.id <> $personId
  AND coalesce(c.direction, '') = coalesce(o.direction, '')
  AND c.at >= o.low
  AND c.at <= o.high
  AND {{visible(c)}}
  AND {{visible(q)}}
RETURN o.key AS key, {id: c.id, start: q.id, end: cp.id} AS crossing, q.id AS traveller
ORDER BY key, traveller, crossing.id
LIMIT $limit
