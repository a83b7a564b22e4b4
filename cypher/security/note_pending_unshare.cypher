// Before an unshare withdraws relationships: note them (with those a cut-short run of it noted), so
// a run cut short after that write and run again still answers them (attack round 39a, 5). The
// mark carries the unshare's ids, agencies and time: only its rerun within the hour reads it, and
// a share or unshare of those ends it (graphapi/security/unshare_marks.py, attack round 41a, 3).
// mode: write
// param $id: str - the mark's id (graphapi.security.unshare_marks.mark_id)
// param $owner: str - the acting agency
// param $ids: list[str] - the unshare's node ids
// param $agencies: list[str] - the agencies it withdraws
// param $at: str - now, ISO 8601 UTC
// param $rels: list[str] - the relationships' ids
// param $types: list[str] - their types, in the same order
// param $starts: list[str] - their start nodes' ids, in the same order
// param $ends: list[str] - their end nodes' ids, in the same order
// returns: one row {id}
MERGE (m:PendingUnshare {id: $id})
SET m.owner = $owner, m.ids = $ids, m.agencies = $agencies, m.at = $at, m.rels = $rels, m.types = $types,
    m.starts = $starts, m.ends = $ends
RETURN m.id AS id
