// Every visible dated border crossing in a time range, oldest first (the raw material of
// co-travel groups, found without a seed person): a cut keeps the earliest. Times are UTC ISO 8601
// text, compared as text. Crossings of one instant by id, but those of travellers protected for
// the reader (victims: the rule of security/protected_ids; shown as tokens) after the others and
// alike, so a victim's stored id never decides what survives; the whole run tied with the last
// row kept ships (the caller orders it by token).
// mode: read
// param $since: str|null - lower bound on the crossing's `at`, inclusive
// param $until: str|null - upper bound on the crossing's `at`, inclusive
// param $checkpoints: list[str]|null - checkpoint ids to keep, null = all
// param $limit: int - at most this many crossings, plus the run tied with the last (limit + 1 tells truncation)
// param $masked: bool - true if the reader is shown victims' tokens (lacks victim-data)
// param $agency: str|null - viewer's agency (visibility of traveller, crossing and checkpoint)
// returns: id, traveller, checkpoint, direction, at, properties (the crossing's: the answer shows them, no
// second look-up per crossing, which walked each traveller's every relationship: attack round 3, G6),
// hidden (bool: the traveller is protected)
// The crossings are found through their levels' index (falkordb/schema/crossing_level_index): the
// first line asks it for the reader's visible ones only (visible(c) below still decides), so another
// agency's hidden crossings in the range cost this read nothing (attack round a-88, 1: they made
// VN's empty answer 2.4x slower, a timing oracle). The ends are taken from the crossing: matched,
// FalkorDB scanned every Person (or node) first. Neo4j's variant: neo4j/analytics/crossings_between.
MATCH ()-[c:CROSSED]->()
WHERE c.tlp IN ['CLEAR', 'GREEN'] OR c.owner = $agency OR (c.tlp = 'AMBER' AND $agency IN c.sharedWith)
WITH c, startNode(c) AS q, endNode(c) AS cp
WHERE q:Person AND cp:Entity
  AND c.at IS NOT NULL
  AND ($since IS NULL OR c.at >= $since)
  AND ($until IS NULL OR c.at <= $until)
  AND ($checkpoints IS NULL OR cp.id IN $checkpoints)
  AND {{visible(c)}}
  AND {{visible(q)}}
  AND {{visible(cp)}}
WITH c, q, cp, CASE WHEN $masked AND size([(q)-[m:INVOLVED_IN|HELD_AT]->(:Entity) WHERE {{victim_mark(m)}} | 1]) > 0 THEN 1 ELSE 0 END AS hidden
ORDER BY c.at, hidden, CASE WHEN hidden = 1 THEN '' ELSE c.id END
WITH collect({id: c.id, traveller: q.id, checkpoint: cp.id, direction: coalesce(c.direction, ''), at: c.at,
              properties: properties(c), hidden: hidden = 1}) AS rows
WITH rows, rows[$limit - 1] AS last
UNWIND rows[..$limit] + [x IN rows[$limit..] WHERE last.hidden AND x.hidden AND x.at = last.at] AS x
RETURN x.id AS id, x.traveller AS traveller, x.checkpoint AS checkpoint, x.direction AS direction, x.at AS at,
       x.properties AS properties, x.hidden AS hidden
