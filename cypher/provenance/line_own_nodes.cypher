// Of the nodes a renewed line of a source stated and its new version does not, those the line was
// itself: a keyed FtM line's node (CryptoWallet, Address, BankAccount, UserAccount), stored under its
// natural key with the line's id in `referents`, its statement the line's. Only those no other line
// of the source (and its "<source>:<dataset>" ones) states: a MOD of the line to another key or as
// another schema takes them as a DEL of the node would (graphapi/ingest/line_deletes.py; attack
// round a-87, 2: the old node stayed, with the line's referent, source and link); another line's
// statement keeps the node, and the line's own statement alone goes.
// FalkorDB trap: `s STARTS WITH $source + ':'` parses as `(s STARTS WITH $source) + ':'`
// there (a type error, measured), hence the parentheses.
// mode: read
// param $rows: list[{entity: str, line: str}] - a Lintas node id and the renewed line that stated it
// param $source: str - dataset id
// param $owner: str - agency id the load writes for
// param $scoped: bool - the source is the load's alone (see provenance/retract_statements)
// returns: one row {id} per such node
UNWIND $rows AS row
MATCH (own:Statement {entity: row.entity})
WHERE own.line = row.line AND own.type IS NULL AND 'referents' IN own.property AND row.line IN own.value
  AND (own.source = $source OR own.source STARTS WITH ($source + ':')) AND ($scoped OR own.owner = $owner)
WITH DISTINCT row
MATCH (s:Statement {entity: row.entity})
WHERE (s.source = $source OR s.source STARTS WITH ($source + ':')) AND ($scoped OR s.owner = $owner)
WITH row, collect(coalesce(s.line, '')) AS said
// FalkorDB: an aggregate's alias is read in a list predicate only after a WITH of its own (measured)
WITH row, said
WHERE all(x IN said WHERE x = row.line)
RETURN row.entity AS id
