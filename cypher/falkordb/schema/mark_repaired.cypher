// Marks the graph's searchAudience repaired (graphapi/store/audience_repair.py): an index on a
// label no node bears, which init_schema reads with every other index at each start (no read of
// its own, no node a graph read could meet). Made only once the repair went through the graph.
// FalkorDB has no IF NOT EXISTS: the store treats "already indexed" as success. An operator drops
// it to have the repair run again (DROP INDEX FOR (m:SchemaRepair) ON (m.searchAudienceFromStoredLevels)).
// mode: schema
CREATE INDEX FOR (m:SchemaRepair) ON (m.searchAudienceFromStoredLevels)
