// Every visible dated border crossing in a time range, oldest first (the raw material of
// co-travel groups, found without a seed person): a cut keeps the earliest. Times are UTC ISO 8601
// text, compared as text.
// mode: read
// param $since: str|null - lower bound on the crossing's `at`, inclusive
// param $until: str|null - upper bound on the crossing's `at`, inclusive
// param $checkpoints: list[str]|null - checkpoint ids to keep, null = all
// param $limit: int - at most this many crossings (the caller detects truncation with limit + 1)
// param $agency: str|null - viewer's agency (visibility of traveller, crossing and checkpoint)
// returns: id, traveller, checkpoint, direction, at, properties (the crossing's: the answer shows them, no
// second look-up per crossing, which walked each traveller's every relationship: attack round 3, G6)
MATCH (q:Person)-[c:CROSSED]->(cp:Entity)
WHERE c.at IS NOT NULL
  AND ($since IS NULL OR c.at >= $since)
  AND ($until IS NULL OR c.at <= $until)
  AND ($checkpoints IS NULL OR cp.id IN $checkpoints)
  AND {{visible(c)}}
  AND {{visible(q)}}
  AND {{visible(cp)}}
RETURN c.id AS id, q.id AS traveller, cp.id AS checkpoint, coalesce(c.direction, '') AS direction, c.at AS at,
       properties(c) AS properties
ORDER BY at, id
LIMIT $limit
