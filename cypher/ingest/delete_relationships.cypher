// Delete relationships of one type by id that only the given source asserted (FtM delta DEL),
// and withdraw the source (with its "<source>:<dataset>" sources) from those that others also assert.
// FalkorDB trap: `s STARTS WITH $source + ':'` parses as `(s STARTS WITH $source) + ':'`
// there (a type error, measured), hence the parentheses.
// mode: write
// param $ids: list[str] - Lintas relationship ids
// param $source: str - dataset id withdrawing its assertion
// param $agency: str|null - the agency a load runs for: only what it owns is touched (null: the
//   operator's own load)
// placeholder type: relationship
// returns: one row {id, deleted} per relationship deleted
UNWIND $ids AS rid
MATCH ()-[r:{{type}}]->()
WHERE r.id = rid AND $source IN r.sources AND ($agency IS NULL OR r.owner = $agency)
WITH r, rid, [s IN r.sources WHERE s <> $source AND NOT (s STARTS WITH ($source + ':'))] AS others
WITH r, rid, others, size(others) = 0 AS only
SET r.sources = others
WITH r, rid, only
WHERE only
DELETE r
RETURN rid AS id, only AS deleted
