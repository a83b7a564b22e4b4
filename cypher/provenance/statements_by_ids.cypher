// The stored statements with the given ids, for the loader's merge: only the statements a batch
// writes (one per node, owner and source), not every source's statements about those nodes.
// mode: read
// param $ids: list[str] - statement ids (graphapi.ingest.statements.statement_id)
// returns: one row {id, props} per stored statement
UNWIND $ids AS sid
MATCH (s:Statement {id: sid})
RETURN s.id AS id, properties(s) AS props
