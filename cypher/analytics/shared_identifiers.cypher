// People and organisations tied to the given ones through the same identifier node (phone,
// device, account, wallet, online account, website, address, identity document): the fraud-ring pattern. An
// identifier flagged `quarantined` by the loader's circuit breaker ties nobody. Only ids ship.
// mode: read
// param $ids: list[str] - entity ids (people, organisations)
// param $links: list[str] - relationship types that attach an entity to an identifier
// param $limit: int - at most this many rows (the caller detects truncation with limit + 1)
// param $agency: str|null - viewer's agency (visibility of every entity and link on the way)
// returns: holder id, link id, identifier id, other link id, other id
UNWIND $ids AS nid
MATCH (p:Entity {id: nid})
WHERE (p:Person OR p:Organization) AND {{visible(p)}}
WITH p
MATCH (p)-[r1]->(i:Entity)
WHERE type(r1) IN $links
  AND NOT coalesce(i.quarantined, false)
  AND {{visible(r1)}}
  AND {{visible(i)}}
WITH p, r1, i
MATCH (i)<-[r2]-(q:Entity)
WHERE type(r2) IN $links
  AND q.id <> p.id
  AND (q:Person OR q:Organization)
  AND {{visible(r2)}}
  AND {{visible(q)}}
RETURN p.id AS holder, r1.id AS link, i.id AS identifier, r2.id AS otherLink, q.id AS other
ORDER BY holder, other, identifier
LIMIT $limit
