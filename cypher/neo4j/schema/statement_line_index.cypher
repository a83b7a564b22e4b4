// Range index on Statement.line: a MOD or DEL of a line finds what the line stated by it
// (provenance/line_statements).
// mode: schema
CREATE INDEX statement_line IF NOT EXISTS FOR (s:Statement) ON (s.line)
