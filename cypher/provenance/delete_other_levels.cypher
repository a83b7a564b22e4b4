// A replace record (FtM MOD) is all its source now says of an item: the source's statements
// about it at other levels than the record's go (graphapi/ingest/statement_store.py), of the
// same line: what another line of the source says of it (a line statement, graphapi/ingest/statements.py:
// a Passport line's number on the Person a MOD of her line replaces) stays.
// mode: write
// param $rows: list[{id: str, entity: str, owner: str, source: str, line: str}] - the replacing statements
//   (line: "" for a statement that is no line statement)
// returns: id of each statement deleted
UNWIND $rows AS row
MATCH (s:Statement {entity: row.entity})
WHERE s.owner = row.owner AND s.source = row.source AND s.id <> row.id AND coalesce(s.line, '') = row.line
WITH s, s.id AS sid
DELETE s
RETURN sid AS id
