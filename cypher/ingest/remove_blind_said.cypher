// Take a DEL's (or a replace's) agency out of the `blindSaid` of the load's own victims' items it
// deleted (graphapi/ingest/blind_values.py, blind_deletes): told deleted, a later guess of one is
// told created again, as a wrong guess's would be; and out of their `blindKnown`. An emptied list
// is removed. The marks are by agency (attack round a-67, 3); the source's own entries, and its
// dataset entries ("<source>:<dataset>"), which loads before a-67 and a-65 marked, go with it.
// FalkorDB trap: `s STARTS WITH $source + ':'` needs the parentheses (ingest/retract_nodes).
// mode: write
// param $ids: list[str] - node ids
// param $source: str - the DEL's source
// param $agency: str - the agency it speaks for (blind_values.source_agency)
// returns: one row {id} per node found
UNWIND $ids AS id
MATCH (n:Entity {id: id})
WITH n, [s IN coalesce(n.blindSaid, []) WHERE s <> $source AND s <> $agency AND NOT (s STARTS WITH ($source + ':'))] AS kept,
     [s IN coalesce(n.blindKnown, []) WHERE s <> $source AND s <> $agency] AS known
SET n.blindSaid = CASE WHEN size(kept) = 0 THEN null ELSE kept END
// one removal per update (FalkorDB trap: tests/store/test_one_removal_per_update.py)
WITH n, known
SET n.blindKnown = CASE WHEN size(known) = 0 THEN null ELSE known END
RETURN n.id AS id
