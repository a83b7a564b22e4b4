// The relationships of one type that the given link records (FtM link entities: a Payment, an
// Ownership, ...) drew for the load's source: each names its record's id as `recordId`
// (ingest/readers/ftm_links.py), every pair of one record the same. Read once a MOD's new version
// is written, so the pairs it no longer draws are retracted as a DEL of them would be
// (graphapi/ingest/replaced_links.py). The source's own: in its `sources` (for its owner unless
// scoped), or a statement of it (as provenance/retract_statements finds them).
// One scan of the type per call, not one per record: `recordId` has no index (a delta's MODs are
// few; the load asks once per type and batch of records).
// FalkorDB trap: `s STARTS WITH $source + ':'` parses as `(s STARTS WITH $source) + ':'`
// there (a type error, measured), hence the parentheses.
// mode: read
// placeholder type: relationship
// param $records: list[str] - the link records' ids (FtM entity ids)
// param $source: str - dataset id the load writes under
// param $owner: str - agency id the load writes for
// param $scoped: bool - the source is the load's alone (see ingest/retract_relationships)
// returns: one row {record, id} per such relationship
MATCH ()-[r:{{type}}]->()
WHERE r.recordId IN $records
OPTIONAL MATCH (st:Statement {entity: r.id})
WHERE (st.source = $source OR st.source STARTS WITH ($source + ':')) AND ($scoped OR st.owner = $owner)
WITH r, count(st) AS stated
WITH r, stated
WHERE stated > 0 OR (any(s IN coalesce(r.sources, []) WHERE s = $source OR s STARTS WITH ($source + ':'))
  AND ($scoped OR r.owner = $owner))
RETURN r.recordId AS record, r.id AS id
