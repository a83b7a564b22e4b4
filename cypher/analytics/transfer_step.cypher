// One hop of a money trail: for each frontier entry (a node and the time window its next transfer
// must fall in), the visible TRANSFERRED_TO relationships that leave it (DOWNSTREAM) or reach it
// (UPSTREAM) inside that window, and their visible far ends. Only ids and the fields a trail
// needs are shipped; times are UTC ISO 8601 text, compared as text (ontology datetime type).
// mode: read
// param $frontier: list[map] - [{key: int, id: str, low: str|null, high: str|null}], window inclusive
// param $direction: str - DOWNSTREAM (money leaving the node) or UPSTREAM (money reaching it)
// param $minAmount: float|null - transfers below this amount (in their own currency) are not followed
// param $currencies: list[str]|null - currencies followed, null = all
// param $limit: int - at most this many rows (the caller detects truncation with limit + 1)
// param $agency: str|null - viewer's agency (visibility of transfer and far end)
// returns: key, transfer {id, start, end, at, amount, currency}, neighbour id
UNWIND $frontier AS f
// Seek the frontier node first, then traverse (see expand/frontier).
MATCH (a:Entity {id: f.id})
WITH a, f
MATCH (a)-[r:TRANSFERRED_TO]-(b:Entity)
WHERE (($direction = 'DOWNSTREAM' AND startNode(r) = a) OR ($direction = 'UPSTREAM' AND endNode(r) = a))
  AND r.at IS NOT NULL
  AND (f.low IS NULL OR r.at >= f.low)
  AND (f.high IS NULL OR r.at <= f.high)
  AND ($minAmount IS NULL OR r.amount >= $minAmount)
  AND ($currencies IS NULL OR r.currency IN $currencies)
  AND {{visible(r)}}
  AND {{visible(b)}}
RETURN f.key AS key,
       {id: r.id, start: startNode(r).id, end: endNode(r).id, at: r.at, amount: r.amount, currency: r.currency} AS transfer,
       b.id AS neighbour
ORDER BY key, transfer.at, transfer.id
LIMIT $limit
