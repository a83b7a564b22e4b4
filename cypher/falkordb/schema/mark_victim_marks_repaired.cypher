// Marks the graph's victimMarkOwners derived (graphapi/store/victim_mark_repair.py), as
// schema/mark_repaired marks its repair. FalkorDB has no IF NOT EXISTS: the store treats "already
// indexed" as success. An operator drops it to have the repair run again
// (DROP INDEX FOR (m:VictimMarkRepair) ON (m.victimMarkOwnersFromStatements)).
// mode: schema
CREATE INDEX FOR (m:VictimMarkRepair) ON (m.victimMarkOwnersFromStatements)
