// Drop the range index on one property of one label: init_schema drops the Entity label's range
// indexes to remake its full-text index with its own configuration (no stopwords), which FalkorDB
// sets only on a label with no index yet (attack round 30a M3), then makes them again.
// mode: schema
// placeholder label: label
// placeholder property: property
DROP INDEX ON :{{label}}({{property}})
