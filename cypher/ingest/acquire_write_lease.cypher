// Take the store's write lease (graphapi/ingest/write_lease.py) if it is free and the caller is
// first in line: free when nobody holds it, its holder's time ran out, the caller holds it
// already, or the caller knows its holder is dead ($dead). Writers waiting queue in the order they
// first asked (queue, each entry kept while its writer keeps asking: queueUntil), so a stream of
// writers cannot keep another out. Times are the store's own clock (timestamp(), ms), never a
// caller's: two hosts whose clocks disagree still exclude each other. The first SET takes the
// lease node's write lock on Neo4j before anything is read, so two writers never both see it
// free (FalkorDB runs one write at a time, but plans it while another runs: the label, its index and
// a unique constraint exist before any lease, made by init_schema, or two first MERGEs each made a
// node); the CASEs set it only when taken (no WHERE ahead of a SET: FalkorDB reorders those).
// mode: write
// param $name: str - the lease (one per store: "items")
// param $holder: str - the caller, "<host>/<pid namespace>:<pid>:<random>"
// param $dead: str - a holder the caller found dead on its own host, or ""
// param $lease_ms: int - how long the lease lasts unless renewed
// param $wait_ms: int - how long the caller's place in line lasts unless it asks again
// returns: one row {acquired: bool, previous: str, holder: str, last: str|null, now: int}:
//   previous is who held it before this call ("" when free), holder who holds it now, last the
//   last holder to release it (another writer wrote since: caches are stale)
MERGE (l:WriteLease {id: $name})
SET l.touched = true
WITH l, timestamp() AS now
WITH l, now, coalesce(l.holder, '') AS was, coalesce(l.until, 0) AS until, l.last AS last,
  coalesce(l.queue, []) AS queue, coalesce(l.queueUntil, []) AS queueUntil
WITH l, now, was, until, last,
  [i IN range(0, size(queue) - 1) WHERE queue[i] = $holder OR coalesce(queueUntil[i], 0) >= now | queue[i]] AS q,
  [i IN range(0, size(queue) - 1) WHERE queue[i] = $holder OR coalesce(queueUntil[i], 0) >= now |
    CASE WHEN queue[i] = $holder THEN now + $wait_ms ELSE queueUntil[i] END] AS qu
WITH l, now, was, until, last,
  CASE WHEN $holder IN q THEN q ELSE q + [$holder] END AS q,
  CASE WHEN $holder IN q THEN qu ELSE qu + [now + $wait_ms] END AS qu
WITH l, now, was, until, last, q, qu,
  (was = '' OR until < now OR was = $holder OR (was = $dead AND $dead <> '')) AND q[0] = $holder AS free
SET l.holder = CASE WHEN free THEN $holder ELSE was END,
    l.until = CASE WHEN free THEN now + $lease_ms ELSE until END,
    l.queue = CASE WHEN free THEN q[1..] ELSE q END,
    l.queueUntil = CASE WHEN free THEN qu[1..] ELSE qu END
RETURN free AS acquired, was AS previous, l.holder AS holder, last, now
