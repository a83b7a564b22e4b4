// Withdraw sharing from the acting agency's own statements about the nodes it unshared (see
// share_statements).
// mode: write
// param $ids: list[str] - ids of the nodes unshared (owned by $agency)
// param $agencies: list[str] - agency ids to remove from sharedWith
// param $agency: str - the acting agency; only its statements change
// returns: id of each statement changed
UNWIND $ids AS nid
MATCH (s:Statement {entity: nid})
WHERE s.owner = $agency
SET s.sharedWith = [x IN coalesce(s.sharedWith, []) WHERE NOT x IN $agencies]
RETURN s.id AS id
