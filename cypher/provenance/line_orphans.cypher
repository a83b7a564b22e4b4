// Of the nodes a DEL of some lines of a source takes statements from (graphapi/ingest/line_deletes.py),
// those nothing else would hold once it is done: every statement about it is one of those lines'
// (of the source, for the owner), no other source is in its sources, and each of its relationships
// is one the load deletes ($going). Such a node goes as a DEL of it would, as a fresh load of the
// lines left would not make it (attack round a-69, F3/F4: the holder only a Passport line named, the
// document of its number); any other stays, its values rebuilt from what remains.
// FalkorDB trap: `s STARTS WITH $source + ':'` parses as `(s STARTS WITH $source) + ':'`
// there (a type error, measured), hence the parentheses.
// mode: read
// param $rows: list[{entity: str, lines: list[str]}] - a Lintas node id and the lines deleted of it
// param $going: list[str] - the relationship ids the load deletes
// param $source: str - dataset id
// param $owner: str - agency id the load writes for
// param $scoped: bool - the source is the load's alone (see provenance/retract_statements)
// returns: one row {id} per such node
UNWIND $rows AS row
MATCH (n:Entity {id: row.entity})
WHERE ($scoped OR n.owner = $owner)
  AND all(x IN coalesce(n.sources, []) WHERE x = $source OR x STARTS WITH ($source + ':'))
OPTIONAL MATCH (s:Statement {entity: row.entity})
WITH n, row, collect(s) AS said
// FalkorDB: an aggregate's alias is read in a list predicate only after a WITH of its own (measured)
WITH n, row, said
WHERE all(s IN said WHERE coalesce(s.line, '') IN row.lines AND ($scoped OR s.owner = $owner)
  AND (s.source = $source OR s.source STARTS WITH ($source + ':')))
OPTIONAL MATCH (n)-[r]-()
WITH row, collect(r.id) AS links
WITH row, links
WHERE all(l IN links WHERE l IN $going)
RETURN row.entity AS id
