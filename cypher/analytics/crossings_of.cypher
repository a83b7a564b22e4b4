// A person's visible border crossings (the occasions co-travellers are looked for around).
// Oldest first; crossings of one instant by id, unless the person is protected for the reader (a
// victim: the rule of security/protected_ids; each crossing is then shown as a token): then they
// tie, and the whole run tied with the last row kept ships (the caller orders it by token).
// mode: read
// param $id: str - person id
// param $checkpoints: list[str]|null - checkpoint ids to keep, null = all
// param $limit: int - at most this many crossings, plus the run tied with the last (limit + 1 tells truncation)
// param $masked: bool - true if the reader is shown victims' tokens (lacks victim-data)
// param $agency: str|null - viewer's agency (visibility of person, crossing and checkpoint)
// returns: id, checkpoint, at, direction, hidden (bool: the person is protected)
MATCH (p:Entity {id: $id})
  // by Entity.id (the index; Person.id has none, which scanned every Person), then the label
WHERE p:Person AND {{visible(p)}}
WITH p, $masked AND size([(p)-[m:INVOLVED_IN|HELD_AT]->(:Entity) WHERE {{victim_mark(m)}} | 1]) > 0 AS hidden
MATCH (p)-[c:CROSSED]->(cp:Entity)
WHERE c.at IS NOT NULL
  AND ($checkpoints IS NULL OR cp.id IN $checkpoints)
  AND {{visible(c)}}
  AND {{visible(cp)}}
WITH c, cp, hidden
ORDER BY c.at, CASE WHEN hidden THEN '' ELSE c.id END
WITH collect({id: c.id, checkpoint: cp.id, at: c.at, direction: c.direction, hidden: hidden}) AS rows
WITH rows, rows[$limit - 1] AS last
UNWIND rows[..$limit] + [x IN rows[$limit..] WHERE last.hidden AND x.at = last.at] AS x
RETURN x.id AS id, x.checkpoint AS checkpoint, x.at AS at, x.direction AS direction, x.hidden AS hidden
