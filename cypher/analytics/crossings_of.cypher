// A person's visible border crossings (the occasions co-travellers are looked for around).
// mode: read
// param $id: str - person id
// param $checkpoints: list[str]|null - checkpoint ids to keep, null = all
// param $limit: int - at most this many crossings (the caller detects truncation with limit + 1)
// param $agency: str|null - viewer's agency (visibility of person, crossing and checkpoint)
// returns: id, checkpoint, at, direction
MATCH (p:Person {id: $id})
WHERE {{visible(p)}}
WITH p
MATCH (p)-[c:CROSSED]->(cp:Entity)
WHERE c.at IS NOT NULL
  AND ($checkpoints IS NULL OR cp.id IN $checkpoints)
  AND {{visible(c)}}
  AND {{visible(cp)}}
RETURN c.id AS id, cp.id AS checkpoint, c.at AS at, c.direction AS direction
ORDER BY at, id
LIMIT $limit
