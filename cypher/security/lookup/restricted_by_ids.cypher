// Hit / no-hit by id: which of the given ids exist but are hidden from the viewer, and whose they
// are (Prüm model). The caller already knows the id; only its owner agency is added.
// mode: read
// param $ids: list[str] - Lintas node ids the caller looked up
// param $agency: str|null - viewer's agency (visibility)
// returns: id, agency (owner id, '' when none)
UNWIND $ids AS nid
MATCH (n:Entity {id: nid})
WHERE NOT coalesce({{visible(n)}}, false)
  // held apart, or another agency's placeholder (graphapi/ingest/relevel.py): missing to all but
  // its audience, as ingest takes it over, so no hit, no audit mask, no owner named
  AND n.heldApart IS NULL AND n.unresolved IS NULL
RETURN n.id AS id, coalesce(n.owner, '') AS agency
