// Range index on the id of one relationship type: the loader finds a stored relationship by id
// (ingest/add_relationships and the other ingest/*_relationships statements), never by expanding
// between its endpoints, which costs the number of relationships between them (thousands of
// transfers between two accounts). FalkorDB has no IF NOT EXISTS: the store treats "already
// indexed" as success. (Neo4j: neo4j/schema/relationship_id_unique, a constraint with its index.)
// mode: schema
// placeholder type: relationship
CREATE INDEX FOR ()-[r:{{type}}]-() ON (r.id)
