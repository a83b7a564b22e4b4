// One hop of a money trail: for each frontier entry (a node and the time window its next transfer
// must fall in), the visible TRANSFERRED_TO relationships that leave it (DOWNSTREAM) or reach it
// (UPSTREAM) inside that window, and their visible far ends. Only ids and the fields a trail
// needs are shipped; times are UTC ISO 8601 text, compared as text (ontology datetime type).
// The cut: by key and time, then a transfer touching an entity protected for the reader (a
// victim's account or wallet: the rule of security/protected_ids; it is shown as a token) after
// the others and alike, so its stored id (a hash of its ends' ids) never decides what survives;
// the whole run tied with the last row kept ships (the caller orders it by token).
// mode: read
// param $frontier: list[map] - [{key: int, id: str, low: str|null, high: str|null}], window inclusive
// param $direction: str - DOWNSTREAM (money leaving the node) or UPSTREAM (money reaching it)
// param $minAmount: float|null - transfers below this amount (in their own currency) are not followed
// param $currencies: list[str]|null - currencies followed, null = all
// param $limit: int - at most this many rows, plus the run tied with the last (limit + 1 tells truncation)
// param $masked: bool - true if the reader is shown victims' tokens (lacks victim-data)
// param $agency: str|null - viewer's agency (visibility of frontier node, transfer and far end)
// returns: key, transfer {id, start, end, at, amount, currency, kind, sources}, neighbour id, hidden (bool: touches a protected entity)
UNWIND $frontier AS f
// Seek the frontier node first, then traverse (see expand/frontier).
MATCH (a:Entity {id: f.id})
// a hidden start walks nowhere: the caller checks it with the nodes it reads at the end
WHERE {{visible(a)}}
// Whether a (and below, b) is protected, in the fast form of security/protected_ids: the link rule
// a CASE and the victim mark tested after the traversal, not in a WHERE of an OPTIONAL MATCH or a
// pattern comprehension (per-row filters in FalkorDB).
OPTIONAL MATCH (aUser:Person)-[aLink:USES_PHONE|HAS_ACCOUNT|HOLDS_ACCOUNT|HOLDS_DOCUMENT|USES_DEVICE|CONTROLS_WALLET|LOCATED_AT]->(a)
WITH f, a, CASE WHEN NOT $masked THEN NULL WHEN a:Person THEN a
                WHEN (a:Phone OR a:UserAccount OR a:BankAccount OR a:IdentityDocument OR a:Device OR a:CryptoWallet
                      OR a:Address) AND {{identifier_link(aLink)}} THEN aUser END AS aWho
OPTIONAL MATCH (aWho)-[am:INVOLVED_IN|HELD_AT]->(:Entity)
WITH f, a, CASE WHEN {{victim_mark(am)}} THEN 1 ELSE 0 END AS aMark
WITH f, a, sum(aMark) > 0 AS aHidden
MATCH (a)-[r:TRANSFERRED_TO]-(b:Entity)
WHERE (($direction = 'DOWNSTREAM' AND startNode(r) = a) OR ($direction = 'UPSTREAM' AND endNode(r) = a))
  AND r.at IS NOT NULL
  AND (f.low IS NULL OR r.at >= f.low)
  AND (f.high IS NULL OR r.at <= f.high)
  AND ($minAmount IS NULL OR r.amount >= $minAmount)
  AND ($currencies IS NULL OR r.currency IN $currencies)
  AND {{visible(r)}}
  AND {{visible(b)}}
OPTIONAL MATCH (bUser:Person)-[bLink:USES_PHONE|HAS_ACCOUNT|HOLDS_ACCOUNT|HOLDS_DOCUMENT|USES_DEVICE|CONTROLS_WALLET|LOCATED_AT]->(b)
WITH f, a, aHidden, r, b, CASE WHEN NOT $masked OR aHidden THEN NULL WHEN b:Person THEN b
                              WHEN (b:Phone OR b:UserAccount OR b:BankAccount OR b:IdentityDocument OR b:Device
                                    OR b:CryptoWallet OR b:Address) AND {{identifier_link(bLink)}} THEN bUser END AS bWho
OPTIONAL MATCH (bWho)-[bm:INVOLVED_IN|HELD_AT]->(:Entity)
WITH f, a, aHidden, r, b, CASE WHEN {{victim_mark(bm)}} THEN 1 ELSE 0 END AS bMark
WITH f, a, aHidden, r, b, sum(bMark) AS bMarks
WITH f, r, b, CASE WHEN aHidden OR bMarks > 0 THEN 1 ELSE 0 END AS hidden
ORDER BY f.key, r.at, hidden, CASE WHEN hidden = 1 THEN '' ELSE r.id END
WITH collect({key: f.key, hidden: hidden = 1, neighbour: b.id,
              transfer: {id: r.id, start: startNode(r).id, end: endNode(r).id, at: r.at, amount: r.amount,
                         currency: r.currency, kind: r.kind, sources: r.sources}}) AS rows
WITH rows, rows[$limit - 1] AS last
UNWIND rows[..$limit] + [x IN rows[$limit..] WHERE last.hidden AND x.hidden AND x.key = last.key
                                                  AND x.transfer.at = last.transfer.at] AS x
RETURN x.key AS key, x.transfer AS transfer, x.neighbour AS neighbour, x.hidden AS hidden
