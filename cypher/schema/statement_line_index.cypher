// Range index on Statement.line: a MOD or DEL of a line finds what the line stated by it
// (provenance/line_statements). FalkorDB has no IF NOT EXISTS: the store treats "already indexed"
// as success.
// mode: schema
CREATE INDEX FOR (s:Statement) ON (s.line)
