// Take the store's write lease (graphapi/ingest/write_lease.py) if it is free: nobody holds it,
// its holder's time ran out, the caller holds it already, or the caller knows its holder is dead
// ($dead). The first SET takes the lease node's write lock on Neo4j before its holder is read, so
// two writers never both see it free (FalkorDB runs one write at a time). The CASEs set it only
// when free (no WHERE ahead of a SET: FalkorDB reorders those).
// mode: write
// param $name: str - the lease (one per store: "items")
// param $holder: str - the caller, "<host>:<pid>:<random>"
// param $dead: str - a holder the caller found dead on its own host, or ""
// param $now: float - the caller's clock, seconds since the epoch
// param $until: float - when the lease lapses unless renewed
// returns: one row {acquired: bool, holder: str, last: str|null}: holder is who holds it now,
//   last the last holder to release it (another writer wrote since: caches are stale)
MERGE (l:WriteLease {id: $name})
SET l.touched = true
WITH l, coalesce(l.holder, '') AS was, coalesce(l.until, 0.0) AS until, l.last AS last
WITH l, last, was, (was = '' OR until < $now OR was = $holder OR (was = $dead AND $dead <> '')) AS free
SET l.holder = CASE WHEN free THEN $holder ELSE was END,
    l.until = CASE WHEN free THEN $until ELSE l.until END
RETURN free AS acquired, l.holder AS holder, last
