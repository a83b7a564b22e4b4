// The items a source (and its "<source>:<dataset>" sources) still has a statement about other than
// the given lines' (another line's, or one of no line): after a DEL of those lines
// (graphapi/ingest/line_deletes.py), an item another line of the source still states stays.
// FalkorDB trap: `s STARTS WITH $source + ':'` parses as `(s STARTS WITH $source) + ':'`
// there (a type error, measured), hence the parentheses.
// mode: read
// param $rows: list[{entity: str, lines: list[str]}] - a Lintas node or relationship id and the lines deleted of it
// param $source: str - dataset id
// param $owner: str - agency id the load writes for
// param $scoped: bool - the source is the load's alone (see provenance/retract_statements)
// returns: one row {entity} per item with such a statement
UNWIND $rows AS row
MATCH (s:Statement {entity: row.entity})
WHERE (s.source = $source OR s.source STARTS WITH ($source + ':')) AND ($scoped OR s.owner = $owner)
  AND NOT coalesce(s.line, '') IN row.lines
RETURN DISTINCT row.entity AS entity
