// A replace record (FtM MOD) is all its source now says of an item: the source's statements
// about it at other levels than the record's go (graphapi/ingest/statement_store.py), of the
// same line: what another line of the source says of it (a line statement, graphapi/ingest/statements.py:
// a Passport line's number on the Person a MOD of her line replaces) stays. So do the statements of
// the load's source under the datasets the record no longer names ("<source>:<dataset>", or the
// source itself): a MOD moving a Person from ds1 to ds2 kept her ds1 name (attack round a-83, F9); but
// the statements this write wrote (an ADD of the id after the MOD in the same batch adds to it).
// mode: write
// param $rows: list[{id: str, entity: str, owner: str, source: str, line: str, base: str,
//   sources: list[str], keep: list[str]}] - the replacing statements (line: "" for a statement that is
//   no line statement; base: the load's source, sources: the record's sources of the item, keep: the
//   ids of the item's statements this write wrote)
// returns: id of each statement deleted
UNWIND $rows AS row
MATCH (s:Statement {entity: row.entity})
WHERE s.owner = row.owner AND s.id <> row.id AND coalesce(s.line, '') = row.line
  AND (s.source = row.source OR ((s.source = row.base OR s.source STARTS WITH (row.base + ':'))
    AND NOT s.source IN row.sources AND NOT s.id IN row.keep))
WITH s, s.id AS sid
DELETE s
RETURN sid AS id
