// The identifiers with a circuit breaker's quarantine (the `quarantined` flag, or marks in
// `quarantinedFor`) among nodes $ids, and those linked by the linking types to nodes $near: what a
// change of links or of who sees them may have made stale, to recount
// (graphapi/ingest/quarantine_recount.py). Internal: never shown to a reader.
// mode: read
// param $ids: list[str] - node ids whose own quarantine is recounted (the ends of links changed)
// param $near: list[str] - node ids whose linked identifiers are recounted (holders seen differently)
// param $types: list[str] - linking relationship types (seed/exclusions policy)
// returns: rows {id}, each identifier once
UNWIND $ids AS nid
MATCH (i:Entity {id: nid})
WHERE coalesce(i.quarantined, false) OR size(coalesce(i.quarantinedFor, [])) > 0
RETURN i.id AS id
UNION
UNWIND $near AS nid
MATCH (:Entity {id: nid})-[r]-(i:Entity)
WHERE type(r) IN $types AND (coalesce(i.quarantined, false) OR size(coalesce(i.quarantinedFor, [])) > 0)
RETURN i.id AS id
