// Set the circuit breaker's decision on identifier $id after a recount
// (graphapi/security/quarantine_review.py): the `quarantined` flag everyone reads and the agencies
// it is marked for (`quarantinedFor`, internal); null removes either.
// mode: write
// param $id: str - identifier node id
// param $flag: bool|null - true to flag it for everyone, null to lift the flag
// param $marks: list[str]|null - the agencies it is quarantined for besides; null for none
// returns: id
MATCH (i:Entity {id: $id})
SET i.quarantined = $flag, i.quarantinedFor = $marks
RETURN i.id AS id
