// Neo4j's ingest/identifier_shared_views (same parameters and result; keep the two in step) with the subquery's
// variable scope clause (`CALL (a)`): the importing WITH form is deprecated in Neo4j 5, and FalkorDB
// reads only that one.
// When the circuit breaker's `quarantined` flag on identifier $id lifts (the holders everyone may
// see fell below the limit), the agencies that still see enough holders through items not public
// (their own, or AMBER ones shared with them), and how many each sees beyond the public ones: those
// that reach the limit keep a quarantine as their own mark (attack round a-58, 6: LA-POL saw 7
// through KH-NP's AMBER items and read unquarantined while KH-NP was marked). One pass over the
// holders and the owners and sharedWith of their items, never a count per agency of every holder
// (a-57, 4: identifier_holders costs holders x agencies). Internal: never shown to a reader.
// mode: read
// param $id: str - identifier node id
// param $types: list[str] - linking relationship types (seed/exclusions policy)
// param $known: list[str] - agencies already counted (not returned)
// param $at: int - the fewest holders beyond the public ones an agency must see to be returned
// param $max: int - the most agencies returned: those owning an item of the graph first (the agencies
//   the deployment knows, as ingest/agencies_owning: a sharedWith may name any well-formed id, and 32
//   made-up ones pushed LA-POL out, attack round a-62, 3), then those seeing most
// returns: rows {agency: str, holders: int} - holders the agency sees that not everyone may see
//   (holder or every link of it not public), $at or more
MATCH (:Entity {id: $id})-[r]-(h:Entity)
WHERE type(r) IN $types
WITH h, collect(r) AS links
WHERE NOT coalesce({{visible(h, null)}} AND any(x IN links WHERE {{visible(x, null)}}), false)
UNWIND links AS l
UNWIND [h.owner, l.owner] + coalesce(h.sharedWith, []) + coalesce(l.sharedWith, []) AS a
// each (holder, link) pair once: an agency sees the holder if it sees it and one of its links
// (it comes from the holder's lists, or that link's; FalkorDB's any() over `links` here saw no `a`)
WITH h, l, a
WHERE a IS NOT NULL AND NOT a IN $known AND {{visible(h, a)}} AND {{visible(l, a)}}
WITH a, count(DISTINCT h) AS holders
WHERE holders >= $at
// one seek of the owner index per agency
CALL (a) {
  OPTIONAL MATCH (x:Entity {owner: a})
  RETURN x IS NOT NULL AS owning
  LIMIT 1
}
RETURN a AS agency, holders
ORDER BY owning DESC, holders DESC, agency
LIMIT $max
