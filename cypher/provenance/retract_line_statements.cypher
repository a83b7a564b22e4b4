// Delete the line statements one line of a source said about the given items (a DEL of that line:
// graphapi/ingest/line_deletes.py), and its "<source>:<dataset>" ones: what the line said of
// them, nothing another line of the source, another source or another owner said.
// FalkorDB trap: `s STARTS WITH $source + ':'` parses as `(s STARTS WITH $source) + ':'`
// there (a type error, measured), hence the parentheses.
// mode: write
// param $rows: list[{entity: str, line: str}] - an item id and the line (an FtM id) whose statements go
// param $source: str - dataset id withdrawing the line
// param $owner: str - agency id the retracting load writes for
// param $scoped: bool - the source is the load's alone (see provenance/retract_statements)
// returns: one row {entity} per statement deleted
UNWIND $rows AS row
MATCH (s:Statement {entity: row.entity})
WHERE s.line = row.line AND (s.source = $source OR s.source STARTS WITH ($source + ':'))
  AND ($scoped OR s.owner = $owner)
DELETE s
RETURN row.entity AS entity
