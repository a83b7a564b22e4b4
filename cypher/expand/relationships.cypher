// A page of visible relationships for each of several nodes (Relay connection, keyset paging).
// Rows come back one per input id, in any order. Oldest first: a relationship's time is its `at`
// (events), else its `from`, else its `to` validity date (UTC ISO 8601 text, partial dates kept,
// compared as text); undated ones come last (time '~', after every date). Ties by the id the reader
// is shown. Paged on (time, id shown), both the relationship's own, so cursors stay valid while data
// is added and nothing the reader cannot see moves a page or a cursor.
// A relationship touching an entity protected for the reader (a victim, a victim's identifier: the
// rule of security/protected_ids) is shown as a token, so its stored id (a hash of its ends' ids)
// never orders it or cuts a page: such "hidden" rows are cut here by time alone and the caller
// orders them by (time, token) among the others. Of the hidden rows after the cursor, only those
// that can fall on the page come back: all at the cursor's time, then by time up to the page's
// `first` later ones (ties at the cut included), and none past the last shown row of a full page.
// They come whole when few ($hiddenInline at most), else as [id, time] pairs (hiddenIds; the caller
// reads the page's own by expand/relationships_by_ids): every page of a victim's phone with 16,000
// calls shipped all 16,000 rows with their properties (attack round 4, H6).
// Each far end is checked for protection once, not once per relationship: a phone called 16,000
// times by one other phone is one check. The node's own flag and each far end's come back, so the
// GraphQL layer redacts what it shows without asking again.
// mode: read
// param $ids: list[str] - node ids (one page each)
// param $types: list[str]|null - relationship types, null = all
// param $direction: str - OUT, IN or BOTH, seen from the node
// param $since: str|null - ISO 8601 lower bound on the relationship's date, inclusive
// param $until: str|null - ISO 8601 upper bound on the relationship's date, inclusive
// param $cursorTime: str|null - cursor's time ('~' undated): only relationships at or after it
//   (at or before it when $backward)
// param $cursorId: str|null - cursor's id as shown (a token for a hidden row): at the cursor's time,
//   only shown rows with a greater id (a smaller one when $backward; the hidden ones there all come:
//   the caller compares tokens)
// param $backward: bool - page backward (Relay last/before): the rows before the cursor, newest
//   first, the caller puts the page back in reading order; every comparison below is mirrored
// param $first: int - page size; up to first + 1 shown rows are returned to tell has-next (has-previous
//   when $backward)
// param $masked: bool - true if the reader is shown victims' tokens (lacks victim-data)
// param $hiddenInline: int - at most this many hidden rows come whole; more come as ids
// param $agency: str|null - viewer's agency (visibility of relationship and far end)
// returns: id, protected (the node is protected for a masked reader), total (visible matches before
//   paging), rows [{rel, node, hidden, far, time}] (far: the far end is protected) (up to
//   first + 1 shown ones after the cursor, and the hidden ones that can fall on the page when few),
//   hiddenIds ([id, time] of the hidden ones that can fall on the page when many), hiddenMore
//   (hidden ones after the cursor left out: they come after the page)
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
WITH a, aHidden, r, b, CASE WHEN aHidden = 1 OR b.id IN hiddenEnds THEN 1 ELSE 0 END AS hidden
WITH a, aHidden, r, b, hidden, coalesce(r.at, r.from, r.to, '~') AS time
ORDER BY time, r.id
WITH a, aHidden, collect(CASE WHEN r IS NULL THEN NULL ELSE {r: r, b: b, hidden: hidden, time: time} END) AS found
WITH a, aHidden, size(found) AS total, CASE WHEN $backward THEN reverse(found) ELSE found END AS ordered
WITH a, aHidden, total,
     [x IN ordered WHERE $cursorTime IS NULL
                         OR (NOT $backward AND (x.time > $cursorTime
                                                OR (x.time = $cursorTime AND (x.hidden = 1 OR x.r.id > $cursorId))))
                         OR ($backward AND (x.time < $cursorTime
                                            OR (x.time = $cursorTime AND (x.hidden = 1 OR x.r.id < $cursorId))))] AS rest
WITH a, aHidden, total, [x IN rest WHERE x.hidden = 0][..$first + 1] AS page, [x IN rest WHERE x.hidden = 1] AS hidden
// a full page of shown rows ends the page by its last one's time: no hidden row past it can be on it
// ("past": later, or earlier when $backward; so below)
WITH a, aHidden, total, page, hidden, CASE WHEN size(page) >= $first THEN page[$first - 1].time END AS shownCut
WITH a, aHidden, total, page, hidden,
     [x IN hidden WHERE (shownCut IS NULL OR (NOT $backward AND x.time <= shownCut) OR ($backward AND x.time >= shownCut))
                        AND ($cursorTime IS NULL OR (NOT $backward AND x.time > $cursorTime)
                             OR ($backward AND x.time < $cursorTime))] AS later
// nor one past the first `first` hidden rows after the cursor's time (by time only, ties kept)
WITH a, aHidden, total, page, hidden, later, CASE WHEN size(later) > $first THEN later[$first - 1].time END AS hiddenCut
WITH a, aHidden, total, page, size(hidden) AS hiddenAfter,
     [x IN hidden WHERE x.time = $cursorTime]
     + [x IN later WHERE hiddenCut IS NULL OR (NOT $backward AND x.time <= hiddenCut)
                         OR ($backward AND x.time >= hiddenCut)] AS candidates
// a few hidden rows come whole (no second round trip); past $hiddenInline, their ids and times alone
WITH a, aHidden, total, hiddenAfter - size(candidates) AS hiddenMore,
     CASE WHEN size(candidates) <= $hiddenInline THEN page + candidates ELSE page END AS shipped,
     CASE WHEN size(candidates) <= $hiddenInline THEN [] ELSE [x IN candidates | [x.r.id, x.time]] END AS hiddenIds
// the far ends of a protected node's page, which were not checked above: only those shipped (a
// victim's phone with 16,000 calls has its page's checked, not all 16,000)
UNWIND CASE WHEN aHidden = 1 AND size(shipped) > 0 THEN [x IN shipped | x.b] ELSE [null] END AS c
OPTIONAL MATCH (cUser:Person)-[cLink:USES_PHONE|HAS_ACCOUNT|HOLDS_ACCOUNT|HOLDS_DOCUMENT|USES_DEVICE|CONTROLS_WALLET|LOCATED_AT]->(c)
WHERE (c:Phone OR c:UserAccount OR c:BankAccount OR c:IdentityDocument OR c:Device OR c:CryptoWallet OR c:Address)
  AND {{identifier_link(cLink)}}
WITH a, aHidden, total, hiddenMore, shipped, hiddenIds, c,
     CASE WHEN c IS NULL THEN NULL WHEN c:Person THEN c ELSE cUser END AS cWho
WITH a, aHidden, total, hiddenMore, shipped, hiddenIds, c, CASE WHEN cWho IS NULL THEN 0
             ELSE size([(cWho)-[m:INVOLVED_IN|HELD_AT]->(:Entity) WHERE {{victim_mark(m)}} | 1]) END AS cMarks
WITH a, aHidden, total, hiddenMore, shipped, hiddenIds, collect(CASE WHEN cMarks > 0 THEN c.id END) AS farHidden
RETURN a.id AS id, aHidden = 1 AS protected, total,
       [x IN shipped | {rel: {id: x.r.id, type: type(x.r), start: startNode(x.r).id, end: endNode(x.r).id,
                              properties: properties(x.r)},
                        node: {id: x.b.id, labels: labels(x.b), properties: properties(x.b)},
                        hidden: x.hidden = 1, far: CASE WHEN aHidden = 1 THEN x.b.id IN farHidden ELSE x.hidden = 1 END,
                        time: x.time}] AS rows,
       hiddenIds, hiddenMore
