// Marks the graph's searchAudience repaired (graphapi/store/audience_repair.py): an index on a
// label no node bears, which init_schema reads with every other index at each start (no read of
// its own, no node a graph read could meet). Made only once the repair went through the graph.
// Named, so an operator can drop it to have the repair run again (DROP INDEX search_audience_repaired).
// mode: schema
CREATE INDEX search_audience_repaired IF NOT EXISTS FOR (m:SchemaRepair) ON (m.searchAudienceFromStoredLevels)
