// Neo4j's analytics/shared_identifiers (same parameters and result; keep the two in step) in a
// shape whose plan does not depend on the statistics it is made on (as analytics/scope_ties): each
// given holder sought by its id (USING INDEX SEEK), the identifier and the other holder expressions
// of the walks out of it, not pattern nodes. As `(i:Entity)` and `(q:Entity)` the planner, on a dense
// graph's statistics, found the identifiers through the Entity(tlp) and Entity(owner) indexes and
// the other holders by scanning Entity(id) and every Organization, then paired each with the walk
// (Expand(Into): tests/store/test_anchored_read_plans.py).
// mode: read
// param $ids: list[str] - entity ids (people, organisations)
// param $links: list[str] - relationship types that attach an entity to an identifier
// param $limit: int - at most this many rows, plus the run tied with the last (limit + 1 tells truncation)
// param $masked: bool - true if the reader is shown victims' tokens (lacks victim-data): rank protected ids alike
// param $agency: str|null - viewer's agency (visibility of every entity and link on the way)
// returns: holder id, link id, identifier id, other link id, other id, rank (list: the cut's key)
UNWIND $ids AS nid
MATCH (p:Entity {id: nid})
USING INDEX SEEK p:Entity(id)
WHERE (p:Person OR p:Organization) AND {{visible(p)}}
OPTIONAL MATCH (p)-[pMark:INVOLVED_IN|HELD_AT]->(:Entity)
WHERE $masked AND p:Person AND {{victim_mark(pMark)}}
WITH p, count(pMark) > 0 AS pHidden
MATCH (p)-[r1]->()
WITH p, pHidden, r1, endNode(r1) AS i
WHERE i:Entity
  AND type(r1) IN $links
  AND NOT {{quarantined(i)}}
  AND {{visible(r1)}}
  AND {{visible(i)}}
OPTIONAL MATCH (iUser:Person)-[iLink:USES_PHONE|HAS_ACCOUNT|HOLDS_ACCOUNT|HOLDS_DOCUMENT|USES_DEVICE|CONTROLS_WALLET|LOCATED_AT]->(i)
WHERE $masked AND {{identifier_link(iLink)}}
  AND (i:Phone OR i:UserAccount OR i:BankAccount OR i:IdentityDocument OR i:Device OR i:CryptoWallet OR i:Address)
WITH p, pHidden, r1, i, iUser
OPTIONAL MATCH (iUser)-[iMark:INVOLVED_IN|HELD_AT]->(:Entity)
WHERE {{victim_mark(iMark)}}
WITH p, pHidden, r1, i, count(iMark) > 0 AS iHidden
MATCH (i)<-[r2]-()
WITH p, pHidden, r1, i, iHidden, r2, startNode(r2) AS q
WHERE q:Entity
  AND type(r2) IN $links
  AND q.id <> p.id
  AND (q:Person OR q:Organization)
  AND {{visible(r2)}}
  AND {{visible(q)}}
OPTIONAL MATCH (q)-[qMark:INVOLVED_IN|HELD_AT]->(:Entity)
WHERE $masked AND q:Person AND {{victim_mark(qMark)}}
WITH p, pHidden, r1, i, iHidden, r2, q, count(qMark) > 0 AS qHidden
WITH p, r1, i, r2, q, CASE WHEN pHidden THEN 1 ELSE 0 END AS k1, CASE WHEN pHidden THEN '' ELSE p.id END AS k2,
     CASE WHEN qHidden THEN 1 ELSE 0 END AS k3, CASE WHEN qHidden THEN '' ELSE q.id END AS k4,
     CASE WHEN iHidden THEN 1 ELSE 0 END AS k5, CASE WHEN iHidden THEN '' ELSE i.id END AS k6
ORDER BY k1, k2, k3, k4, k5, k6
WITH collect({holder: p.id, link: r1.id, identifier: i.id, otherLink: r2.id, other: q.id, rank: [k1, k2, k3, k4, k5, k6]}) AS rows
UNWIND rows[..$limit] + [x IN rows[$limit..] WHERE x.rank = rows[$limit - 1].rank] AS x
RETURN x.holder AS holder, x.link AS link, x.identifier AS identifier, x.otherLink AS otherLink, x.other AS other,
       x.rank AS rank
