// Marks the graph's victimMarkOwners derived (graphapi/store/victim_mark_repair.py): an index on a
// label no node bears, read by init_schema with every other index (as schema/mark_repaired).
// Named, so an operator can drop it to have the repair run again (DROP INDEX victim_marks_repaired).
// mode: schema
CREATE INDEX victim_marks_repaired IF NOT EXISTS FOR (m:VictimMarkRepair) ON (m.victimMarkOwnersFromStatements)
