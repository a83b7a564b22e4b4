// Adds agencies whose new statements on a link say its victim mark (INVOLVED_IN {role: victim},
// HELD_AT {role: trafficked}) to the link's victimMarkOwners, the derived list the victim rule
// reads whatever value won the link's role (graphapi/ingest/victim_marks.py). A merge's
// statements only grow, so it only adds; a rebuild sets the list whole.
// mode: write
// param $rows: list[{id: str, owners: list[str]}] - link id, the agencies to add
// placeholder type: relationship
// returns: one row {id} per link written
UNWIND $rows AS row
MATCH ()-[r:{{type}} {id: row.id}]->()
SET r.victimMarkOwners = coalesce(r.victimMarkOwners, []) + [a IN row.owners WHERE NOT a IN coalesce(r.victimMarkOwners, [])]
// written since it was created: compared whole on the next load (tests/ingest/test_relationship_digests.py)
WITH r, row
REMOVE r.digest
RETURN row.id AS id
