// The write lease's fence (graphapi/ingest/write_lease.py): run ahead of a lease holder's every
// write statement, in the same query, so the statement writes nothing unless the caller still
// holds the lease when the store runs it. A check in a query of its own left a window: a writer
// stopped between that check and its write wrote after another writer had taken the lease
// (attack round 10, F1). The SET takes the lease node's write lock on Neo4j before the holder is
// read, so a takeover either waits for this transaction or is seen by it (FalkorDB runs one write
// at a time). A prelude is not a statement of its own: StatementCatalog.fenced puts it in front.
// mode: prelude
// param $fence_name: str - the lease ("items")
// param $fence_holder: str - the caller, who must hold it
MATCH (fence:WriteLease {id: $fence_name})
SET fence.touched = true
WITH fence WHERE fence.holder = $fence_holder
