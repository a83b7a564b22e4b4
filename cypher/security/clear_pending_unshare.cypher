// An unshare ran to its end (its nodes withdrawn, its answer audited): its mark goes
// (security/note_pending_unshare).
// mode: write
// param $id: str - the mark's id
// returns: one row {id} if the mark was there
MATCH (m:PendingUnshare {id: $id})
DELETE m
RETURN $id AS id
