// The levels of the linking relationships of identifier $id and of their holders, one row per
// distinct combination: whose views of the identifier may differ from everyone's (the owners of
// items not public, and at AMBER the agencies they are shared with), for a recount of the circuit
// breaker's per-agency marks (graphapi/security/quarantine_review.py). Internal: never shown to a
// reader, who is told only what its own view decides.
// mode: read
// param $id: str - identifier node id
// param $types: list[str] - linking relationship types (seed/exclusions policy)
// returns: rows {link: {tlp, owner, sharedWith}, holder: {tlp, owner, sharedWith}}
MATCH (:Entity {id: $id})-[r]-(h:Entity)
WHERE type(r) IN $types
RETURN DISTINCT {tlp: r.tlp, owner: r.owner, sharedWith: r.sharedWith} AS link,
       {tlp: h.tlp, owner: h.owner, sharedWith: h.sharedWith} AS holder
