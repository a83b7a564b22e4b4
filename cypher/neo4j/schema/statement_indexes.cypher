// Range indexes of the statements beside the graph: by id (the loader's MERGE) and by entity
// (values(), retraction); the unique id constraint backs the first.
// mode: schema
CREATE CONSTRAINT statement_id IF NOT EXISTS FOR (s:Statement) REQUIRE s.id IS UNIQUE
