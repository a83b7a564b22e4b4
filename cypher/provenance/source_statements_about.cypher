// The statements one owner's source (and the given datasets of it) holds about each given node, at
// every level, for the keyed line DEL (graphapi/ingest/keyed_line_deletes.py): another line's
// statement of the node at another level than the DEL's keeps the node too (attack round a-100, 1:
// only the DEL's level was read by id, and the DEL took the node with the other line's statement).
// Found through the Statement.entity index; other owners' and sources' statements send no row, and
// line statements (a line's link, read by its line) are not these.
// mode: read
// param $rows: list[{id: str, sources: list[str]}] - Lintas node ids, each with the sources to read
// param $owner: str - agency id the load writes for
// returns: one row {id, props} per statement
UNWIND $rows AS row
MATCH (s:Statement {entity: row.id})
WHERE s.owner = $owner AND s.source IN row.sources AND s.line IS NULL
RETURN s.id AS id, properties(s) AS props
