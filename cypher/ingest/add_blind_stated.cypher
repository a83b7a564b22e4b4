// Adds to a link with an end of the load's own victims' items the sources whose statements on it
// a victim-blind load made alone (none of theirs on it before: graphapi/ingest/blind_stated.py):
// their values never win the link's role while another statement gives one, so a blind record
// never becomes the victim's stored role when a rebuild runs (attack round a-84, 5). Only adds; a
// rebuild keeps those that still have a statement. Sought through the type's relationship index
// on id (see ingest/delete_relationships); its digest goes, as with every write of a relationship
// but its creation (tests/ingest/test_relationship_digests.py).
// mode: write
// param $rows: list[{id: str, sources: list[str]}] - relationship id, the sources to add
// placeholder type: relationship
// returns: one row {id} per relationship written
UNWIND $rows AS row
MATCH ()-[r:{{type}} {id: row.id}]->()
WITH r, row, [s IN row.sources WHERE NOT s IN coalesce(r.blindStated, [])] AS added
WHERE size(added) > 0
SET r.blindStated = coalesce(r.blindStated, []) + added
REMOVE r.digest
RETURN row.id AS id
