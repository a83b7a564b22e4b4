// Delete statements by id: a whole-source replace withdraws those its load did not assert again
// (graphapi/ingest/replacement.py picked them from provenance/source_statements).
// mode: write
// param $ids: list[str] - statement ids
// returns: one row {id} per statement deleted
UNWIND $ids AS sid
MATCH (s:Statement {id: sid})
DELETE s
RETURN sid AS id
