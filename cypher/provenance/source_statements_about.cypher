// The statements one owner's source (and the given datasets of it) holds about each given node, at
// every level, for the keyed line DEL (graphapi/ingest/keyed_line_deletes.py): another line's
// statement of the node at another level than the DEL's keeps the node too (attack round a-100, 1:
// only the DEL's level was read by id, and the DEL took the node with the other line's statement).
// Found by entity and owner in one index seek (FalkorDB's Statement indexes on both, Neo4j's
// composite statement_entity_owner): another agency's statements of the node are not examined
// (attack round a-104, 4: through the entity index alone, TH-DSI's hidden line in 60 datasets made
// KH-NP's read examine 61 rows for 1); other sources' statements send no row, and line statements
// (a line's link, read by its line) are not these.
// mode: read
// param $rows: list[{id: str, sources: list[str]}] - Lintas node ids, each with the sources to read
// param $owner: str - agency id the load writes for
// returns: one row {id, props} per statement
UNWIND $rows AS row
MATCH (s:Statement {entity: row.id, owner: $owner})
WHERE s.source IN row.sources AND s.line IS NULL
RETURN s.id AS id, properties(s) AS props
