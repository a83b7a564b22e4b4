// Unshare marks that are done with (security/note_pending_unshare): an unshare or share of their
// ids ended, or they are past their time (graphapi/security/unshare_marks.py).
// mode: write
// param $ids: list[str] - the marks' ids
// returns: id of each mark deleted
UNWIND $ids AS mid
MATCH (m:PendingUnshare {id: mid})
DELETE m
RETURN mid AS id
