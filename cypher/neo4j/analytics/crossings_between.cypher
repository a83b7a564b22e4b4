// Neo4j's analytics/crossings_between (same parameters and result; keep the two in step), the
// crossings found by their levels' indexes (neo4j/schema/crossing_level_index, crossing_shared_index):
// the public ones by tlp, the reader's own by owner, the AMBER ones shared with it by the full-text
// keywords of its agency and that tlp (by the agency alone, the RED and AMBER+STRICT crossings naming
// it, hidden from it, were rows: a-92, 1), never a scan of every crossing in the range, so another agency's hidden crossings cost
// this read nothing (attack round a-88, 1: 20,000 AMBER crossings of TH made VN's empty answer 7.6x
// slower, a timing oracle). visible(c) below still decides. SEEK hints: a plain hint let Neo4j scan
// the whole (tlp, at) index once other statements had run, every hidden crossing read. The seeks bound the range from below
// only when $since is given; the filter below keeps the exact range.
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
CALL {
  MATCH ()-[c:CROSSED]->()
  USING INDEX SEEK c:CROSSED(tlp, at)
  WHERE c.tlp IN ['CLEAR', 'GREEN'] AND c.at >= coalesce($since, '')
  RETURN c
  UNION
  MATCH ()-[c:CROSSED]->()
  USING INDEX SEEK c:CROSSED(owner, at)
  WHERE c.owner = $agency AND c.at >= coalesce($since, '')
  RETURN c
  UNION
  CALL db.index.fulltext.queryRelationships('crossed_shared_level',
    'tlp:AMBER AND sharedWith:"' + replace(replace(coalesce($agency, ''), '\\', '\\\\'), '"', '\\"') + '"')
    YIELD relationship
  WITH relationship AS c
  WHERE $agency IS NOT NULL AND c.tlp = 'AMBER'
  RETURN c
}
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
