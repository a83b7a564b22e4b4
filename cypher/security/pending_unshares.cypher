// The unshare marks a share or unshare that ended may end (graphapi/security/unshare_marks.py,
// attack round 41a, 3): the acting agency's, with their ids and agencies, and every mark past its
// time (one written by an older version has none: past it). Few: a mark outlives its unshare only
// when the process died or the store failed part way.
// mode: read
// param $owner: str - the acting agency
// param $since: str - ISO 8601 UTC; marks written before are past their time
// returns: id, owner, ids, agencies, expired (bool)
MATCH (m:PendingUnshare)
WITH m, coalesce(m.at, '') < $since AS expired
WHERE m.owner = $owner OR expired
RETURN m.id AS id, m.owner AS owner, m.ids AS ids, m.agencies AS agencies, expired
