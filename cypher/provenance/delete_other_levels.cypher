// A replace record (FtM MOD) is all its source now says of an item: the source's statements
// about it at other levels than the record's go (graphapi/ingest/statement_store.py).
// mode: write
// param $rows: list[{id: str, entity: str, owner: str, source: str}] - the replacing statements
// returns: id of each statement deleted
UNWIND $rows AS row
MATCH (s:Statement {entity: row.entity})
WHERE s.owner = row.owner AND s.source = row.source AND s.id <> row.id
WITH s, s.id AS sid
DELETE s
RETURN sid AS id
