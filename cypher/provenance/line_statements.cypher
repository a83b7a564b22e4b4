// The items the given lines of a source (and its "<source>:<dataset>" ones) have statements about,
// found by the line (the index on Statement.line), not by what a MOD or DEL of the line names:
// what a line stated before its MOD or DEL (graphapi/ingest/replaced_lines.py; attack round a-69,
// F2 and F5: a DEL naming another holder than the stored line left what the line had said).
// FalkorDB trap: `s STARTS WITH $source + ':'` parses as `(s STARTS WITH $source) + ':'`
// there (a type error, measured), hence the parentheses.
// mode: read
// param $lines: list[str] - the lines (FtM ids) of the source
// param $source: str - dataset id
// param $owner: str - agency id the load writes for
// param $scoped: bool - the source is the load's alone (see provenance/retract_statements)
// returns: one row {entity, type, line} per item and line: type "" for a node
UNWIND $lines AS line
MATCH (s:Statement {line: line})
WHERE (s.source = $source OR s.source STARTS WITH ($source + ':')) AND ($scoped OR s.owner = $owner)
RETURN DISTINCT s.entity AS entity, coalesce(s.type, '') AS type, line
