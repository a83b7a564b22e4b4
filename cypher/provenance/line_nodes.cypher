// The nodes the given lines of a source (and its "<source>:<dataset>" ones) are themselves: a
// Person's or Organization's line, whose own statements carry no line (the node's id is the FtM
// id). A MOD of such a line as another schema takes them, as a DEL of the node would
// (graphapi/ingest/line_deletes.py; attack round a-76, F2: the Person stayed).
// FalkorDB trap: `s STARTS WITH $source + ':'` parses as `(s STARTS WITH $source) + ':'`
// there (a type error, measured), hence the parentheses.
// mode: read
// param $lines: list[str] - the lines (FtM ids) of the source
// param $source: str - dataset id
// param $owner: str - agency id the load writes for
// param $scoped: bool - the source is the load's alone (see provenance/retract_statements)
// returns: one row {id} per line that is a node the source states by no line
UNWIND $lines AS line
MATCH (s:Statement {entity: line})
WHERE s.line IS NULL AND s.type IS NULL
  AND (s.source = $source OR s.source STARTS WITH ($source + ':')) AND ($scoped OR s.owner = $owner)
RETURN DISTINCT line AS id
