// Push back when the caller's write lease lapses (graphapi/ingest/write_lease.py), if it still
// holds it (on the store's clock, as acquire_write_lease).
// mode: write
// param $name: str - the lease
// param $holder: str - the caller
// param $lease_ms: int - how long from now it lasts
// returns: one row {held: bool}
MATCH (l:WriteLease {id: $name})
WITH l, l.holder = $holder AS held
SET l.until = CASE WHEN held THEN timestamp() + $lease_ms ELSE l.until END
RETURN held
