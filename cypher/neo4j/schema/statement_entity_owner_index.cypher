// Composite range index on Statement(entity, owner): the keyed line DEL's read of its owner's
// statements of a node (provenance/source_statements_about) seeks them by both, so another
// agency's statements of the node are not examined (attack round a-104, 4).
// mode: schema
CREATE INDEX statement_entity_owner IF NOT EXISTS FOR (s:Statement) ON (s.entity, s.owner)
