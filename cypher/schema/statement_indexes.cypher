// Range indexes of the statements beside the graph: by id (the loader's MERGE) and by entity
// (values(), retraction). FalkorDB has no IF NOT EXISTS: the store treats "already indexed" as
// success.
// mode: schema
CREATE INDEX FOR (s:Statement) ON (s.id, s.entity)
