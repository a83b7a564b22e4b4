// Other people's visible crossings of a checkpoint in a direction within a time window, for each
// occasion asked (co-travel). Times are UTC ISO 8601 text, compared as text.
// The cut: per occasion, travellers protected for the reader (victims: the rule of
// security/protected_ids; shown as tokens) after the others and alike, so a victim's stored id
// never decides what survives; the whole run tied with the last row kept ships (the caller
// orders it by token).
// mode: read
// param $occasions: list[map] - [{key: int, checkpoint: str, direction: str|null, low: str, high: str}]
// param $personId: str - the subject, whose own crossings are not co-travel
// param $limit: int - at most this many rows, plus the run tied with the last (limit + 1 tells truncation)
// param $masked: bool - true if the reader is shown victims' tokens (lacks victim-data)
// param $agency: str|null - viewer's agency (visibility of crossing and traveller)
// returns: key, crossing {id, start, end}, traveller id, hidden (bool: the traveller is protected)
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
WITH o, c, q, cp, CASE WHEN $masked AND size([(q)-[m:INVOLVED_IN|HELD_AT]->(:Entity) WHERE {{victim_mark(m)}} | 1]) > 0 THEN 1 ELSE 0 END AS hidden
ORDER BY o.key, hidden, CASE WHEN hidden = 1 THEN '' ELSE q.id END, CASE WHEN hidden = 1 THEN '' ELSE c.id END
WITH collect({key: o.key, crossing: {id: c.id, start: q.id, end: cp.id}, traveller: q.id, hidden: hidden = 1}) AS rows
WITH rows, rows[$limit - 1] AS last
UNWIND rows[..$limit] + [x IN rows[$limit..] WHERE last.hidden AND x.hidden AND x.key = last.key] AS x
RETURN x.key AS key, x.crossing AS crossing, x.traveller AS traveller, x.hidden AS hidden
