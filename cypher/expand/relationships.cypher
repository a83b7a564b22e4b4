// A page of visible relationships for each of several nodes (Relay connection, keyset paging).
// Rows come back one per input id, in any order; relationships ordered by id so that cursors
// stay valid while data is added. Events are dated by `at`; facts by their `from`/`to` validity.
// A relationship touching an entity protected for the reader (a victim, a victim's identifier: the
// rule of security/protected_ids) is shown as a token, so its stored id (a hash of its ends' ids)
// never orders it: such relationships come last, alike, and the page that reaches them gets them
// all (the caller orders them by token: graphapi.investigate.expand).
// mode: read
// param $ids: list[str] - node ids (one page each)
// param $types: list[str]|null - relationship types, null = all
// param $direction: str - OUT, IN or BOTH, seen from the node
// param $since: str|null - ISO 8601 lower bound on the relationship's date, inclusive
// param $until: str|null - ISO 8601 upper bound on the relationship's date, inclusive
// param $after: str|null - cursor: only relationships with id greater than this (and the hidden ones)
// param $afterHidden: bool - the cursor is a hidden relationship's: only hidden ones follow it
// param $first: int - page size; the statement returns up to first + 1 to tell has-next (and every hidden one the page reaches)
// param $masked: bool - true if the reader is shown victims' tokens (lacks victim-data)
// param $agency: str|null - viewer's agency (visibility of relationship and far end)
// returns: id, total (visible matches before paging), rows [{rel, node, hidden}]
UNWIND $ids AS nid
MATCH (a:Entity {id: nid})
WHERE {{visible(a)}}
// whether a, then b, is protected (as security/protected_ids decides)
OPTIONAL MATCH (aUser:Person)-[aLink:USES_PHONE|HAS_ACCOUNT|HOLDS_ACCOUNT|HOLDS_DOCUMENT|USES_DEVICE|CONTROLS_WALLET|LOCATED_AT]->(a)
WHERE $masked AND (a:Phone OR a:UserAccount OR a:BankAccount OR a:IdentityDocument OR a:Device OR a:CryptoWallet
                   OR a:Address) AND {{identifier_link(aLink)}}
WITH a, CASE WHEN NOT $masked THEN NULL WHEN a:Person THEN a ELSE aUser END AS aWho
WITH a, CASE WHEN aWho IS NULL THEN 0
             ELSE size([(aWho)-[m:INVOLVED_IN|HELD_AT]->(:Entity) WHERE {{victim_mark(m)}} | 1]) END AS aMarks
WITH a, sum(aMarks) > 0 AS aHidden
OPTIONAL MATCH (a)-[r]-(b:Entity)
WHERE ($types IS NULL OR type(r) IN $types)
  AND ($direction = 'BOTH' OR ($direction = 'OUT' AND startNode(r) = a) OR ($direction = 'IN' AND endNode(r) = a))
  AND ($since IS NULL OR coalesce(r.at, r.to, r.from) IS NULL OR coalesce(r.at, r.to, r.from) >= $since)
  AND ($until IS NULL OR coalesce(r.at, r.from, r.to) IS NULL OR coalesce(r.at, r.from, r.to) <= $until)
  AND {{visible(r)}}
  AND {{visible(b)}}
WITH a, aHidden, r, b
OPTIONAL MATCH (bUser:Person)-[bLink:USES_PHONE|HAS_ACCOUNT|HOLDS_ACCOUNT|HOLDS_DOCUMENT|USES_DEVICE|CONTROLS_WALLET|LOCATED_AT]->(b)
WHERE $masked AND (b:Phone OR b:UserAccount OR b:BankAccount OR b:IdentityDocument OR b:Device
                   OR b:CryptoWallet OR b:Address) AND {{identifier_link(bLink)}}
WITH a, aHidden, r, b, CASE WHEN NOT $masked OR aHidden THEN NULL WHEN b:Person THEN b ELSE bUser END AS bWho
WITH a, aHidden, r, b, CASE WHEN bWho IS NULL THEN 0
             ELSE size([(bWho)-[m:INVOLVED_IN|HELD_AT]->(:Entity) WHERE {{victim_mark(m)}} | 1]) END AS bMarks
WITH a, aHidden, r, b, sum(bMarks) AS bMarks
WITH a, r, b, CASE WHEN aHidden OR bMarks > 0 THEN 1 ELSE 0 END AS hidden
ORDER BY hidden, r.id
WITH a, [x IN collect(CASE WHEN r IS NULL THEN NULL ELSE {
    rel: {id: r.id, type: type(r), start: startNode(r).id, end: endNode(r).id, properties: properties(r)},
    node: {id: b.id, labels: labels(b), properties: properties(b)}, hidden: hidden = 1} END) WHERE x IS NOT NULL] AS found
WITH a, size(found) AS total,
     [x IN found WHERE $after IS NULL OR x.hidden OR (NOT $afterHidden AND x.rel.id > $after)] AS rest
RETURN a.id AS id, total, rest[..$first + 1] + [x IN rest[$first + 1..] WHERE rest[$first - 1].hidden] AS rows
