// Every node's Lintas id is unique (FalkorDB: GRAPH.CONSTRAINT, created by the store).
// mode: schema
CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id IS UNIQUE
