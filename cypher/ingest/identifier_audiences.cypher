// The owners of identifier $id's linking relationships and holders that not everyone may see, one
// row per distinct pair: the agencies whose own view of its holders may differ from everyone's,
// for a recount of the circuit breaker's per-agency marks (graphapi/ingest/quarantine_recount.py).
// Owners only: the agencies an AMBER item is shared with are any ids a loader names (a-57, 4:
// 400 links shared with 50 made-up agencies each made every review count 19,952 agencies); a
// partner's mark is recounted as a mark, and a new one is the breaker's when its loads link.
// Internal: never shown to a reader, who is told only what its own view decides.
// mode: read
// param $id: str - identifier node id
// param $types: list[str] - linking relationship types (seed/exclusions policy)
// returns: rows {link: str|null, holder: str|null} - owners of items not public (null: public)
MATCH (:Entity {id: $id})-[r]-(h:Entity)
WHERE type(r) IN $types
RETURN DISTINCT CASE WHEN coalesce(r.tlp IN ['CLEAR', 'GREEN'], false) THEN null ELSE r.owner END AS link,
       CASE WHEN coalesce(h.tlp IN ['CLEAR', 'GREEN'], false) THEN null ELSE h.owner END AS holder
