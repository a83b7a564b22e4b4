// Delete relationships of one type by id that only the given source asserted (FtM delta DEL),
// and withdraw the source from those that others also assert.
// mode: write
// param $ids: list[str] - Lintas relationship ids
// param $source: str - dataset id withdrawing its assertion
// placeholder type: relationship
// returns: one row {id, deleted} per relationship deleted
UNWIND $ids AS rid
MATCH ()-[r:{{type}}]->()
WHERE r.id = rid AND $source IN r.sources
WITH r, rid, r.sources = [$source] AS only
SET r.sources = [s IN r.sources WHERE s <> $source]
WITH r, rid, only
WHERE only
DELETE r
RETURN rid AS id, only AS deleted
