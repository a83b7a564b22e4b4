// Derives victimMarkOwners on the INVOLVED_IN / HELD_AT links of a graph written before it existed
// (attack round a-75, 5b; graphapi/store/victim_mark_repair.py): the agencies whose statements on
// the link say its victim mark (role victim, trafficked), at any level. Once per graph at
// start-up, then schema/mark_victim_marks_repaired; afterwards every write of a link's statements
// keeps it (graphapi/ingest/victim_marks.py). A link no statement marks is left without it.
// mode: write
// returns: one row {repaired: int (links set)}
MATCH ()-[r:INVOLVED_IN|HELD_AT]->()
WHERE r.victimMarkOwners IS NULL
MATCH (s:Statement {entity: r.id})
// (the roles first, over s alone: FalkorDB loses an outer alias inside the list's WHERE)
WITH r, s, [i IN range(0, size(s.property) - 1) WHERE s.property[i] = 'role' | s.value[i]] AS roles
WHERE (type(r) = 'INVOLVED_IN' AND 'victim' IN roles) OR (type(r) = 'HELD_AT' AND 'trafficked' IN roles)
WITH r, collect(DISTINCT s.owner) AS owners
SET r.victimMarkOwners = owners
RETURN count(r) AS repaired
