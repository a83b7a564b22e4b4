// Adds agencies whose new statements on a link say its victim mark (INVOLVED_IN {role: victim},
// HELD_AT {role: trafficked}) to the link's victimMarkOwners, the derived list the victim rule
// reads whatever value won the link's role (graphapi/ingest/victim_marks.py). A merge's
// statements only grow, so it only adds; a rebuild sets the list whole. A link whose list holds
// them all already is not written: a reload of the same file left every victim link without its
// digest, so it never skipped them (k-fix58).
// mode: write
// param $rows: list[{id: str, owners: list[str], created: bool}] - link id, the agencies to add, and
//   whether this batch created the link (its owners are then its creating record's own, which the
//   digest add_relationships kept stands for: that record again states the same)
// placeholder type: relationship
// returns: one row {id} per link written
UNWIND $rows AS row
MATCH ()-[r:{{type}} {id: row.id}]->()
WITH r, row, [a IN row.owners WHERE NOT a IN coalesce(r.victimMarkOwners, [])] AS added
WHERE size(added) > 0
SET r.victimMarkOwners = coalesce(r.victimMarkOwners, []) + added
// written since it was created: compared whole on the next load (tests/ingest/test_relationship_digests.py)
WITH r, row
FOREACH (_ IN CASE WHEN row.created THEN [] ELSE [1] END | REMOVE r.digest)
RETURN row.id AS id
