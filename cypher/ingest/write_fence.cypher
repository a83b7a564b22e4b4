// The write lease's fence (graphapi/ingest/write_lease.py): run ahead of a lease holder's every
// write statement, in the same query, so the statement writes nothing unless the caller still
// holds the lease when the store runs it. A check in a query of its own left a window: a writer
// stopped between that check and its write wrote after another writer had taken the lease
// (attack round 10, F1). The first SET takes the lease node's write lock on Neo4j before the
// holder is read, so a takeover either waits for this transaction or is seen by it (FalkorDB runs
// one write at a time). The second renews the lease for the holder, so a holder that writes needs
// no renewal of its own; for anyone else it divides by zero: the query fails whole (both stores
// roll it back), and a write that comes back tells its writer it still held the lease. The WHERE
// stays, so nothing is written even by a store that let the division pass; it filters a value
// the WITH projects, since FalkorDB moves a WHERE on the node's own property ahead of the SETs
// (the lease was checked, the division never ran).
// A prelude is not a statement of its own: StatementCatalog.fenced puts it in front.
// mode: prelude
// param $fence_name: str - the lease ("items")
// param $fence_holder: str - the caller, who must hold it
// param $fence_lease_ms: int - how long from now the lease lasts once this write passed
MATCH (fence:WriteLease {id: $fence_name})
SET fence.touched = true
SET fence.until = timestamp() + $fence_lease_ms / CASE WHEN fence.holder = $fence_holder THEN 1 ELSE 0 END
WITH fence, fence.holder = $fence_holder AS fence_held WHERE fence_held
