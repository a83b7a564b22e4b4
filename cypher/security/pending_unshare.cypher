// The relationships an unshare with these arguments withdrew before it was cut short (a kill, a
// lost reply): its rerun answers, audits and rebuilds them as one uninterrupted run would, though
// they are shared no more (graphapi/security/unshare_marks.py). A mark older than $since is not its
// rerun's (attack round 41a, 3). No viewer: the unshare's own bookkeeping, keyed by the acting
// agency, the agencies and the ids.
// mode: read
// param $id: str - the mark's id (graphapi.security.unshare_marks.mark_id)
// param $since: str - ISO 8601 UTC; marks written before are past their time
// returns: at most one row {rels, types, starts, ends: list[str]}, the relationships' ids, types and ends
MATCH (m:PendingUnshare {id: $id})
WHERE coalesce(m.at, '') >= $since
RETURN m.rels AS rels, m.types AS types, m.starts AS starts, m.ends AS ends
