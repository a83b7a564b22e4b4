// Push back when the caller's write lease lapses (graphapi/ingest/write_lease.py), if it still
// holds it.
// mode: write
// param $name: str - the lease
// param $holder: str - the caller
// param $until: float - the new end, seconds since the epoch
// returns: one row {held: bool}
MATCH (l:WriteLease {id: $name})
WITH l, l.holder = $holder AS held
SET l.until = CASE WHEN held THEN $until ELSE l.until END
RETURN held
