// A writer could not finish a pending mark: the mark counts the attempt and keeps its error, so
// `lintas admin pending` shows why it is stuck (graphapi/ingest/pending_retractions.py).
// mode: write
// param $id: str - the mark's id
// param $error: str - the failure, "Type: message" cut to 500 characters
// param $at: str - when (ISO 8601 UTC)
// returns: one row {attempts: int} if the mark was there
MATCH (p:PendingRetraction {id: $id})
SET p.attempts = coalesce(p.attempts, 0) + 1, p.last_error = $error, p.last_failed = $at,
  p.first_failed = coalesce(p.first_failed, $at)
RETURN p.attempts AS attempts
