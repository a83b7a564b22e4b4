// Of the pairs $pairs (an identifier and a node a load changed: a link written or deleted, a level
// moved), those where the node is a holder of the identifier that counts for the circuit breaker
// (as in ingest/identifier_holder_sets): whether everyone may see it, and which agencies of
// $agencies may. Each pair is sought by both ids, never by the identifier's links: a load keeps
// its holders current with these (graphapi/ingest/holder_tally.py), never reading a hub whole
// again (attack round a-62, 6). Internal: never shown to a reader.
// mode: read
// param $pairs: list[{i: str, h: str}] - identifier and node ids
// param $types: list[str] - linking relationship types (seed/exclusions policy)
// param $agencies: list[str] - the agencies whose views are named (may be empty)
// returns: rows {i, h, public: bool, seen: list[str]} - one per pair linked by a linking type
UNWIND $pairs AS p
MATCH (h:Entity {id: p.h})
MATCH (i:Entity {id: p.i})
MATCH (h)-[r]-(i)
WHERE type(r) IN $types
WITH p, h, collect(r) AS links
RETURN p.i AS i, p.h AS h,
       {{visible(h, null)}} AND any(r IN links WHERE {{visible(r, null)}}) AS public,
       [a IN $agencies WHERE {{visible(h, a)}} AND any(r IN links WHERE {{visible(r, a)}})] AS seen
