// Of the nodes a DEL of some lines took statements from and kept (another's link, or another line's
// link, holds them: graphapi/ingest/line_deletes.py), those no statement and no other source asserts
// any more: a bare reference of those links now, `unresolved` as the placeholder a fresh load of the
// lines left makes of it (attack round a-69, F3: the holder a Passport line alone named stayed a
// Person of no value a Call still linked), so its last link's DEL takes it
// (ingest/drop_unlinked_placeholders) and a line of its own resolves it.
// FalkorDB trap: `s STARTS WITH $source + ':'` parses as `(s STARTS WITH $source) + ':'`
// there (a type error, measured), hence the parentheses.
// mode: write
// param $ids: list[str] - Lintas node ids
// param $source: str - dataset id withdrawing the lines
// param $owner: str - agency id the load writes for
// param $scoped: bool - the source is the load's alone (see provenance/retract_statements)
// returns: one row {id} per node marked
UNWIND $ids AS nid
MATCH (n:Entity {id: nid})
WHERE n.unresolved IS NULL AND ($scoped OR n.owner = $owner)
  AND all(s IN coalesce(n.sources, []) WHERE s = $source OR s STARTS WITH ($source + ':'))
OPTIONAL MATCH (st:Statement {entity: nid})
WITH n, nid, count(st) AS said
WHERE said = 0
SET n.unresolved = true
RETURN nid AS id
