// Settle the circuit breaker's decision on identifier $id after a recount
// (graphapi/ingest/quarantine_recount.py) as a change, never a whole list read earlier: the
// `quarantined` flag everyone reads set, lifted or left, and the agencies of $lift taken from its
// internal marks (`quarantinedFor`), those of $add put in, the others left as they are now (a
// load marking it meanwhile keeps its mark: attack round a-57, 5). Emptied marks are removed.
// mode: write
// param $id: str - identifier node id
// param $flag: bool|null - true to flag it for everyone, false to lift the flag, null to leave it
// param $lift: list[str] - agencies no longer marked
// param $add: list[str] - agencies marked
// returns: id
MATCH (i:Entity {id: $id})
WITH i, [a IN coalesce(i.quarantinedFor, []) WHERE NOT a IN $lift] AS kept
WITH i, kept + [a IN $add WHERE NOT a IN kept] AS marks
SET i.quarantined = CASE WHEN $flag IS NULL THEN i.quarantined WHEN $flag THEN true ELSE null END
// one removal an update (FalkorDB#1787: two in one SET chain removed the wrong property)
WITH i, marks
SET i.quarantinedFor = CASE WHEN size(marks) = 0 THEN null ELSE marks END
// the index security/quarantined_identifiers seeks, in step with the two (Entity.inQuarantine)
WITH i
SET i.inQuarantine = CASE WHEN i.quarantined = true OR i.quarantinedFor IS NOT NULL THEN 1 ELSE null END
RETURN i.id AS id
