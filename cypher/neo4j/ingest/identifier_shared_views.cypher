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
// There is no agency registry (docs/security.md, "Agencies"): a sharedWith may name any well-formed
// id, and 32 made-up ones pushed LA-POL out of the agencies kept marked (a-62, 3; a-63, 3: LA-POL,
// owning nothing, ranked with them). So the agencies owning an item of the graph come first (real
// for sure), then the others by turns of the owners whose items name them: each owner's
// agencies in its own order (those seeing most first), its first beside every other owner's first,
// and so on; one owner's sharedWith never pushes out the agencies another owner's items name.
// mode: read
// param $id: str - identifier node id
// param $types: list[str] - linking relationship types (seed/exclusions policy)
// param $known: list[str] - agencies already counted (not returned)
// param $at: int - the fewest holders beyond the public ones an agency must see to be returned
// param $max: int - the most agencies returned: those owning an item first, then by owners' turns,
//   then those seeing most
// returns: rows {agency: str, holders: int} - holders the agency sees that not everyone may see
//   (holder or every link of it not public), $at or more
MATCH (:Entity {id: $id})-[r]-(h:Entity)
WHERE type(r) IN $types
WITH h, collect(r) AS links
WHERE NOT coalesce({{visible(h, null)}} AND any(x IN links WHERE {{visible(x, null)}}), false)
UNWIND links AS l
// each agency with the owner of the item naming it (its owner, or one it is shared with): each
// (holder, link) pair once: an agency sees the holder if it sees it and one of its links
UNWIND [x IN [h.owner] + coalesce(h.sharedWith, []) | {a: x, by: h.owner}] +
       [x IN [l.owner] + coalesce(l.sharedWith, []) | {a: x, by: l.owner}] AS named
WITH h, l, named.a AS a, named.by AS by
WHERE a IS NOT NULL AND NOT a IN $known AND {{visible(h, a)}} AND {{visible(l, a)}}
WITH a, by, collect(DISTINCT h) AS seen
ORDER BY by, size(seen) DESC, a
// an agency's turn: its place among the agencies its owner's items name, the first of its owners'
WITH by, collect({a: a, seen: seen}) AS agencies
UNWIND range(0, size(agencies) - 1) AS turn
WITH agencies[turn].a AS a, turn, agencies[turn].seen AS seen
UNWIND seen AS h
WITH a, min(turn) AS turn, count(DISTINCT h) AS holders
WHERE holders >= $at
// one seek of the owner index per agency
CALL (a) {
  OPTIONAL MATCH (x:Entity {owner: a})
  RETURN x IS NOT NULL AS owning
  LIMIT 1
}
RETURN a AS agency, holders
ORDER BY owning DESC, turn, holders DESC, agency
LIMIT $max
