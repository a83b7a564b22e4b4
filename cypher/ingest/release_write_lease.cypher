// Give the write lease back (graphapi/ingest/write_lease.py), if the caller holds it, and note
// the caller as its last holder: the next writer that is someone else drops what it cached.
// Released too when the caller's own release is the last thing that happened to the lease (free,
// the caller its last holder): asked again after a reply that was lost, a finished load is not
// told that another writer took its turn.
// mode: write
// param $name: str - the lease
// param $holder: str - the caller
// returns: one row {released: bool}
MATCH (l:WriteLease {id: $name})
WITH l, l.holder = $holder AS held, l.holder = '' AND l.last = $holder AS given_back
SET l.holder = CASE WHEN held THEN '' ELSE l.holder END,
    l.until = CASE WHEN held THEN 0 ELSE l.until END,
    l.last = CASE WHEN held THEN $holder ELSE l.last END
RETURN held OR given_back AS released
