// How many holders beyond the public ones each agency of $agencies sees of identifier $id: the
// agencies marked quarantined for it whom the circuit breaker's recount does not count with
// ingest/identifier_holders (not the caller, nor an owner of its links or holders not public:
// graphapi/ingest/quarantine_recount.py). Each is counted, however many: ranked and cut at 32,
// made-up agencies an attacker's sharedWith named were counted before a real agency owning no
// item, whose mark then outlived the holders that made it (attack round a-62, 3b). An agency sees
// a holder not public only if it owns it or one of its links, or one of them is shared with it, so
// one pass over those holders' owners and sharedWith counts every agency of $agencies.
// Internal: never shown to a reader.
// mode: read
// param $id: str - identifier node id
// param $types: list[str] - linking relationship types (seed/exclusions policy)
// param $agencies: list[str] - the agencies to count
// returns: rows {agency: str, holders: int} - the holders not everyone may see (holder or every
//   link of it not public) that the agency sees; an agency of $agencies seeing none has no row
MATCH (:Entity {id: $id})-[r]-(h:Entity)
WHERE type(r) IN $types
WITH h, collect(r) AS links
WHERE NOT coalesce({{visible(h, null)}} AND any(x IN links WHERE {{visible(x, null)}}), false)
UNWIND links AS l
UNWIND [x IN [h.owner, l.owner] + coalesce(h.sharedWith, []) + coalesce(l.sharedWith, []) WHERE x IN $agencies] AS a
WITH h, l, a
WHERE {{visible(h, a)}} AND {{visible(l, a)}}
RETURN a AS agency, count(DISTINCT h) AS holders
