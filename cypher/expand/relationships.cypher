// A page of visible relationships for each of several nodes (Relay connection, keyset paging).
// Rows come back one per input id, in any order; relationships ordered by id so that cursors
// stay valid while data is added. Events are dated by `at`; facts by their `from`/`to` validity.
// A relationship touching an entity protected for the reader (a victim, a victim's identifier: the
// rule of security/protected_ids) is shown as a token, so its stored id (a hash of its ends' ids)
// never orders it: such relationships come last, alike. The page that reaches them gets them whole
// when they are few ($hiddenInline at most), else their ids alone (hiddenIds; the caller orders them
// by token and reads the page's rows by expand/relationships_by_ids): every page of a victim's phone
// with 16,000 calls shipped all 16,000 rows with their properties (attack round 4, H6).
// Each far end is checked for protection once, not once per relationship: a phone called 16,000
// times by one other phone is one check.
// mode: read
// param $ids: list[str] - node ids (one page each)
// param $types: list[str]|null - relationship types, null = all
// param $direction: str - OUT, IN or BOTH, seen from the node
// param $since: str|null - ISO 8601 lower bound on the relationship's date, inclusive
// param $until: str|null - ISO 8601 upper bound on the relationship's date, inclusive
// param $after: str|null - cursor: only relationships with id greater than this (and the hidden ones)
// param $afterHidden: bool - the cursor is a hidden relationship's: only hidden ones follow it
// param $first: int - page size; up to first + 1 shown rows are returned to tell has-next
// param $masked: bool - true if the reader is shown victims' tokens (lacks victim-data)
// param $hiddenInline: int - at most this many hidden rows come whole; more come as ids
// param $agency: str|null - viewer's agency (visibility of relationship and far end)
// returns: id, total (visible matches before paging), rows [{rel, node, hidden}] (the shown ones of
//   the page, and the hidden ones after the cursor when few), hiddenIds (the hidden ones after the
//   cursor when many, and the page reaches them)
UNWIND $ids AS nid
MATCH (a:Entity {id: nid})
WHERE {{visible(a)}}
// whether a is protected (as security/protected_ids decides)
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
WITH a, aHidden, collect(r) AS rels, collect(DISTINCT b) AS ends
// which far ends are protected (only for a masked reader of an unprotected node), once each
UNWIND CASE WHEN NOT $masked OR aHidden OR size(ends) = 0 THEN [null] ELSE ends END AS b
OPTIONAL MATCH (bUser:Person)-[bLink:USES_PHONE|HAS_ACCOUNT|HOLDS_ACCOUNT|HOLDS_DOCUMENT|USES_DEVICE|CONTROLS_WALLET|LOCATED_AT]->(b)
WHERE (b:Phone OR b:UserAccount OR b:BankAccount OR b:IdentityDocument OR b:Device OR b:CryptoWallet OR b:Address)
  AND {{identifier_link(bLink)}}
WITH a, aHidden, rels, b, CASE WHEN b IS NULL THEN NULL WHEN b:Person THEN b ELSE bUser END AS bWho
WITH a, aHidden, rels, b, CASE WHEN bWho IS NULL THEN 0
             ELSE size([(bWho)-[m:INVOLVED_IN|HELD_AT]->(:Entity) WHERE {{victim_mark(m)}} | 1]) END AS bMarks
WITH a, aHidden, rels, b, sum(bMarks) AS bMarks
WITH a, aHidden, rels, collect(CASE WHEN bMarks > 0 THEN b.id END) AS hiddenEnds
UNWIND CASE WHEN size(rels) = 0 THEN [null] ELSE rels END AS r
WITH a, r, CASE WHEN r IS NULL THEN NULL WHEN startNode(r) = a THEN endNode(r) ELSE startNode(r) END AS b,
     CASE WHEN aHidden THEN 1 ELSE 0 END AS aHidden, hiddenEnds
WITH a, r, b, CASE WHEN aHidden = 1 OR b.id IN hiddenEnds THEN 1 ELSE 0 END AS hidden
ORDER BY hidden, r.id
WITH a, collect(CASE WHEN r IS NULL THEN NULL ELSE {r: r, b: b, hidden: hidden} END) AS found
WITH a, size(found) AS total,
     [x IN found WHERE $after IS NULL OR x.hidden = 1 OR (NOT $afterHidden AND x.r.id > $after)] AS rest
WITH a, total, rest, [x IN rest[..$first + 1] WHERE x.hidden = 0] AS page
WITH a, total, page, CASE WHEN size(page) > $first THEN [] ELSE [x IN rest WHERE x.hidden = 1] END AS hidden
// a few hidden rows come whole (no second round trip); past $hiddenInline, their ids alone
WITH a, total, CASE WHEN size(hidden) <= $hiddenInline THEN page + hidden ELSE page END AS shipped,
     CASE WHEN size(hidden) <= $hiddenInline THEN [] ELSE [x IN hidden | x.r.id] END AS hiddenIds
RETURN a.id AS id, total,
       [x IN shipped | {rel: {id: x.r.id, type: type(x.r), start: startNode(x.r).id, end: endNode(x.r).id,
                              properties: properties(x.r)},
                        node: {id: x.b.id, labels: labels(x.b), properties: properties(x.b)},
                        hidden: x.hidden = 1}] AS rows,
       hiddenIds
