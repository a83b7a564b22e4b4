// The items a source (and its "<source>:<dataset>" sources) still has a statement about, of any
// line: after a DEL of one line (graphapi/ingest/line_deletes.py), those another line of the
// source still states stay.
// FalkorDB trap: `s STARTS WITH $source + ':'` parses as `(s STARTS WITH $source) + ':'`
// there (a type error, measured), hence the parentheses.
// mode: read
// param $ids: list[str] - Lintas node or relationship ids
// param $source: str - dataset id
// param $owner: str - agency id the load writes for
// param $scoped: bool - the source is the load's alone (see provenance/retract_statements)
// returns: one row {entity} per item with such a statement
UNWIND $ids AS eid
MATCH (s:Statement {entity: eid})
WHERE (s.source = $source OR s.source STARTS WITH ($source + ':')) AND ($scoped OR s.owner = $owner)
RETURN DISTINCT eid AS entity
