// Range index on Statement.entity: values() and retraction find a node's statements by it.
// mode: schema
CREATE INDEX statement_entity IF NOT EXISTS FOR (s:Statement) ON (s.entity)
